#include "tcp_relay.hpp"

#include <array>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <functional>
#include <future>
#include <thread>
#include <vector>

namespace luot::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct tcp_relay::impl : std::enable_shared_from_this<impl> {
  // One accepted connection and its connection to the server.
  struct pair : std::enable_shared_from_this<pair> {
    pair(impl& owner, tcp::socket accepted)
        : relay(owner), client(std::move(accepted)), server(owner.context) {}

    void start() {
      auto self = shared_from_this();
      server.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), relay.target.load()),
                           [self](const boost::system::error_code& ec) {
                             if (ec) return self->close();
                             self->pump(self->client, self->server, self->upstream);
                             self->pump(self->server, self->client, self->downstream);
                           });
    }

    void pump(tcp::socket& from, tcp::socket& to, std::array<char, 16384>& buffer) {
      auto self = shared_from_this();
      from.async_read_some(
          asio::buffer(buffer),
          [self, &from, &to, &buffer](const boost::system::error_code& ec, std::size_t bytes) {
            if (ec) return self->close();
            self->forward(from, to, buffer, bytes);
          });
    }

    // Writes what was read, or holds it until the relay thaws.
    void forward(tcp::socket& from, tcp::socket& to, std::array<char, 16384>& buffer,
                 std::size_t bytes) {
      auto self = shared_from_this();
      if (relay.frozen) {
        relay.held.push_back(
            [self, &from, &to, &buffer, bytes] { self->forward(from, to, buffer, bytes); });
        return;
      }
      asio::async_write(
          to, asio::buffer(buffer.data(), bytes),
          [self, &from, &to, &buffer](const boost::system::error_code& ec, std::size_t) {
            if (ec) return self->close();
            self->pump(from, to, buffer);
          });
    }

    void close() {
      boost::system::error_code ignored;
      client.close(ignored);
      server.close(ignored);
    }

    impl& relay;
    tcp::socket client;
    tcp::socket server;
    std::array<char, 16384> upstream{};
    std::array<char, 16384> downstream{};
  };

  explicit impl(std::uint16_t target_port) : target(target_port) {
    acceptor.open(tcp::v4());
    acceptor.set_option(tcp::acceptor::reuse_address(true));
    acceptor.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    acceptor.listen();
  }

  void accept() {
    acceptor.async_accept(
        [self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
          if (ec) return;
          ++self->accepted;
          auto joined = std::make_shared<pair>(*self, std::move(socket));
          self->pairs.push_back(joined);
          joined->start();
          self->accept();
        });
  }

  // Runs `work` on the relay's thread and waits for it.
  void run_there(std::function<void()> work) {
    std::promise<void> done;
    asio::post(context, [&] {
      work();
      done.set_value();
    });
    done.get_future().wait();
  }

  asio::io_context context;
  tcp::acceptor acceptor{context};
  std::atomic<std::uint16_t> target;
  std::atomic<std::size_t> accepted{0};
  // Only touched on the relay's thread.
  bool frozen = false;
  std::vector<std::function<void()>> held;
  std::vector<std::weak_ptr<pair>> pairs;
  std::thread thread;
};

tcp_relay::tcp_relay(std::uint16_t target_port) : impl_(std::make_shared<impl>(target_port)) {
  impl_->accept();
  impl_->thread = std::thread([relay = impl_.get()] { relay->context.run(); });
}

tcp_relay::~tcp_relay() {
  impl_->run_there([relay = impl_.get()] {
    boost::system::error_code ignored;
    relay->acceptor.close(ignored);
    relay->held.clear();
    for (auto& each : relay->pairs) {
      if (auto joined = each.lock()) joined->close();
    }
  });
  // No context.stop(): the handlers the closes above cancelled must still
  // run, or the ones left in the queue keep `impl` (and its io_context)
  // alive through their shared_ptr, a cycle LeakSanitizer reports. Nothing
  // re-arms after a cancelled operation, so run() returns by itself.
  impl_->thread.join();
}

std::uint16_t tcp_relay::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void tcp_relay::retarget(std::uint16_t target_port) {
  impl_->target = target_port;
}

void tcp_relay::freeze() {
  impl_->run_there([relay = impl_.get()] { relay->frozen = true; });
}

void tcp_relay::thaw() {
  impl_->run_there([relay = impl_.get()] {
    relay->frozen = false;
    auto held = std::move(relay->held);
    relay->held.clear();
    for (auto& resume : held) resume();
  });
}

void tcp_relay::cut() {
  impl_->run_there([relay = impl_.get()] {
    relay->held.clear();
    for (auto& each : relay->pairs) {
      if (auto joined = each.lock()) joined->close();
    }
    relay->pairs.clear();
  });
}

std::size_t tcp_relay::accepted() const {
  return impl_->accepted;
}

}  // namespace luot::testing
