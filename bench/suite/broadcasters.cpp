#include "broadcasters.hpp"

#include <stdexcept>
#include <thread>

#include "load/take_ticket_load.hpp"
#include "luot/v1/luot.pb.h"
#include "officer.hpp"

namespace luot::bench {

namespace {

class luot_broadcaster final : public broadcaster {
 public:
  luot_broadcaster(const std::string& program, const std::filesystem::path& directory,
                   std::uint64_t waiting)
      : directory_(directory),
        waiting_(waiting),
        server_(program, directory, bench_centre_toml(std::nullopt) + std::string(officer_toml)) {}

  std::string name() const override { return "luot-server"; }

  void start() override {
    server_.start(directory_ / ("fanout-" + std::to_string(++starts_) + ".db"));
    take_tickets(server_.port(), waiting_, 4);
    token_ = sign_in_officer(server_.port());
    officer_.reset();
    serving_ = false;
  }
  void stop() override {
    officer_.reset();
    server_.stop();
  }
  std::uint16_t port() const override { return server_.port(); }
  pid_t pid() const override { return server_.pid(); }
  bool needs_subscribe() const override { return true; }

  std::uint64_t prepare_call() override {
    // The officer's connection opens once the subscribers are in: a round
    // may take longer to connect them than the server keeps an idle
    // connection.
    if (!officer_) officer_.emplace(server_.port());
    if (!serving_) return 0;
    const auto status = officer_->exchange(
        post_request("/api/v1/counters/1/finish", R"({"outcome":"done"})", token_));
    if (status != 200) throw std::runtime_error("finish refused: " + officer_->body());
    serving_ = false;
    return last_seq_of_result(officer_->body());
  }

  std::uint64_t call() override {
    const auto status =
        officer_->exchange(post_request("/api/v1/counters/1/call-next", "{}", token_));
    if (status != 200) throw std::runtime_error("call-next refused: " + officer_->body());
    serving_ = true;
    return last_seq_of_result(officer_->body());
  }

  std::size_t message_bytes() const override { return 0; }

 private:
  std::filesystem::path directory_;
  std::uint64_t waiting_;
  server_child server_;
  std::optional<http_connection> officer_;
  std::string token_;
  bool serving_ = false;
  int starts_ = 0;
};

class peer_broadcaster final : public broadcaster {
 public:
  peer_broadcaster(std::string name, std::vector<std::string> arguments,
                   std::filesystem::path directory, std::string message)
      : name_(std::move(name)), arguments_(std::move(arguments)), directory_(std::move(directory)) {
    if (!message_.ParseFromString(message) || !message_.has_update()) {
      throw std::invalid_argument("the message for " + name_ + " is not a ViewUpdate");
    }
  }

  std::string name() const override { return name_; }

  void start() override {
    auto arguments = arguments_;
    arguments.insert(arguments.end(), {"--port", "0"});
    std::filesystem::create_directories(directory_);
    child_.start(arguments, directory_ / (name_ + "-" + std::to_string(++starts_) + ".log"));
    trigger_.reset();
  }
  void stop() override {
    trigger_.reset();
    child_.stop();
  }
  std::uint16_t port() const override { return child_.port(); }
  pid_t pid() const override { return child_.pid(); }
  bool needs_subscribe() const override { return false; }

  std::uint64_t prepare_call() override {
    if (!trigger_) trigger_.emplace(child_.port());
    return 0;
  }

  std::uint64_t call() override {
    message_.mutable_update()->set_seq(++seq_);
    const auto bytes = message_.SerializeAsString();
    bytes_ = bytes.size();
    if (trigger_->exchange(post_request("/broadcast", bytes)) != 204) {
      throw std::runtime_error(name_ + " refused the broadcast");
    }
    return seq_;
  }

  std::size_t message_bytes() const override { return bytes_; }

 private:
  std::string name_;
  std::vector<std::string> arguments_;
  std::filesystem::path directory_;
  v1::ServerMessage message_;
  child_program child_;
  std::optional<http_connection> trigger_;
  std::uint64_t seq_ = 0;
  std::size_t bytes_ = 0;
  int starts_ = 0;
};

}  // namespace

std::unique_ptr<broadcaster> make_luot_broadcaster(const std::string& program,
                                                   const std::filesystem::path& directory,
                                                   std::uint64_t waiting) {
  return std::make_unique<luot_broadcaster>(program, directory, waiting);
}

std::unique_ptr<broadcaster> make_peer_broadcaster(std::string name,
                                                   std::vector<std::string> arguments,
                                                   const std::filesystem::path& directory,
                                                   std::string message) {
  return std::make_unique<peer_broadcaster>(std::move(name), std::move(arguments), directory,
                                            std::move(message));
}

}  // namespace luot::bench
