// luot-backup against the real programs: a copy taken while luot-server
// takes tickets restores into a new log on which a new server has every
// ticket acknowledged before the copy began and numbers on from there; a
// restore never touches a log a running server has open, and replaces a
// killed server's log whole; a damaged copy is refused.
#include <fcntl.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "../server/server_process.hpp"
#include "../server/support.hpp"

namespace luot::testing {
namespace {

struct program_result {
  int exit_code = -1;
  std::string output;
};

// Runs luot-backup with `arguments`; stdout and stderr together.
program_result run_backup(std::vector<std::string> arguments, const std::filesystem::path& dir) {
  arguments.insert(arguments.begin(), LUOT_BACKUP_BINARY);
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const auto output_file = dir / "luot-backup.out";
  const int output = ::open(output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (output < 0) throw std::runtime_error("cannot create " + output_file.string());
  const pid_t child = ::fork();
  if (child == 0) {
    if (::dup2(output, STDOUT_FILENO) < 0 || ::dup2(output, STDERR_FILENO) < 0) ::_exit(127);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(output);
  program_result result;
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(output_file);
  std::stringstream text;
  text << in.rdbuf();
  result.output = text.str();
  return result;
}

// Citizens taking tickets over HTTP from two threads until stopped; every
// 201 is kept.
class ticket_takers {
 public:
  explicit ticket_takers(std::uint16_t port) {
    for (int client = 0; client < 2; ++client) {
      threads_.emplace_back([this, port, client] {
        for (int i = 0; !stopping_; ++i) {
          const std::string category = (i + client) % 2 == 0 ? "A" : "B";
          http_reply reply;
          try {
            reply =
                http_call(port, "POST", "/api/v1/tickets", R"({"category":")" + category + "\"}");
          } catch (const std::exception& failure) {
            record_error(failure.what());
            return;
          }
          v1::Ticket ticket;
          if (reply.status != 201 ||
              !google::protobuf::util::JsonStringToMessage(reply.body, &ticket).ok()) {
            record_error("status " + std::to_string(reply.status) + ": " + reply.body);
            return;
          }
          const std::lock_guard lock(mutex_);
          tickets_.push_back(ticket);
        }
      });
    }
  }
  ~ticket_takers() { stop(); }
  ticket_takers(const ticket_takers&) = delete;
  ticket_takers& operator=(const ticket_takers&) = delete;

  // Waits (generously) until `count` tickets are acknowledged.
  bool wait_for(std::size_t count) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      {
        const std::lock_guard lock(mutex_);
        if (tickets_.size() >= count) return true;
        if (!error_.empty()) return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
  }
  void stop() {
    stopping_ = true;
    for (auto& thread : threads_)
      if (thread.joinable()) thread.join();
  }
  std::vector<v1::Ticket> tickets() {
    const std::lock_guard lock(mutex_);
    return tickets_;
  }
  std::string error() {
    const std::lock_guard lock(mutex_);
    return error_;
  }

 private:
  void record_error(std::string error) {
    const std::lock_guard lock(mutex_);
    if (error_.empty()) error_ = std::move(error);
  }

  std::atomic<bool> stopping_ = false;
  std::mutex mutex_;
  std::vector<v1::Ticket> tickets_;
  std::string error_;
  std::vector<std::thread> threads_;
};

std::map<std::string, std::uint32_t> issued_per_category(const v1::Snapshot& state) {
  std::map<std::string, std::uint32_t> issued;
  for (const auto& category : state.categories()) issued[category.code()] = category.issued_today();
  return issued;
}

// `directory`, created.
std::filesystem::path made(std::filesystem::path directory) {
  std::filesystem::create_directories(directory);
  return directory;
}

class Backup : public ::testing::Test {
 protected:
  void SetUp() override { made(dir_.path() / "restored"); }
  void TearDown() override {
    if (HasFailure()) std::cerr << "live server output:\n" << live_.log();
  }

  temp_dir dir_;
  // Four digits: a busy backup test issues more than 999 in a category.
  server_process live_{made(dir_.path() / "live"), test_centre_toml(4)};
};

TEST_F(Backup, CopyTakenWhileServingRestoresEveryTicketAcknowledgedBeforeIt) {
  live_.start();
  const auto copy = dir_.path() / "copy.db";
  std::vector<v1::Ticket> before;
  program_result backed_up;
  {
    ticket_takers citizens(live_.port());
    ASSERT_TRUE(citizens.wait_for(50)) << citizens.error();
    before = citizens.tickets();
    backed_up =
        run_backup({"--database", live_.database().string(), "--to", copy.string()}, dir_.path());
    // Still serving after the copy.
    ASSERT_TRUE(citizens.wait_for(before.size() + 20)) << citizens.error();
    citizens.stop();
    ASSERT_TRUE(citizens.error().empty()) << citizens.error();
  }
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.output;
  EXPECT_NE(backed_up.output.find("integrity_check ok"), std::string::npos) << backed_up.output;

  // The running server's log is not touched by a restore.
  const auto live_state = snapshot(live_.port());
  const auto refused =
      run_backup({"--restore", copy.string(), "--to", live_.database().string()}, dir_.path());
  EXPECT_EQ(refused.exit_code, 1) << refused.output;
  EXPECT_NE(refused.output.find("stop it"), std::string::npos) << refused.output;
  const auto live_after = snapshot(live_.port());
  EXPECT_EQ(live_after.seq(), live_state.seq());
  EXPECT_EQ(take_ticket(live_.port(), "A").ordinal(), issued_per_category(live_after)["A"] + 1);

  const auto restored_log = dir_.path() / "restored" / "luot.db";
  const auto restored =
      run_backup({"--restore", copy.string(), "--to", restored_log.string()}, dir_.path());
  ASSERT_EQ(restored.exit_code, 0) << restored.output;

  server_process again(dir_.path() / "restored", test_centre_toml(4));
  again.start();
  const auto state = snapshot(again.port());
  std::map<std::string, std::set<std::string>> numbers;
  for (const auto& ticket : state.tickets()) numbers[ticket.category()].insert(ticket.number());
  std::vector<std::string> missing;
  for (const auto& ticket : before) {
    const auto reply = http_call(again.port(), "GET", "/api/v1/tickets/" + ticket.status_token());
    if (reply.status != 200 || parse<v1::Ticket>(reply.body).number() != ticket.number())
      missing.push_back(ticket.number());
  }
  EXPECT_TRUE(missing.empty()) << missing.size() << " of " << before.size()
                               << " tickets acknowledged before the backup are not restored, e.g. "
                               << missing.front();
  // The copy may hold more (taken while it ran), never fewer, and no gap.
  const auto issued = issued_per_category(state);
  EXPECT_GE(issued.at("A") + issued.at("B"), before.size());
  EXPECT_EQ(numbers["A"].size(), issued.at("A"));
  EXPECT_EQ(numbers["B"].size(), issued.at("B"));
  // Numbering goes on from the copy.
  for (const std::string category : {"A", "B"}) {
    SCOPED_TRACE(category);
    const auto next = take_ticket(again.port(), category);
    EXPECT_EQ(next.ordinal(), issued.at(category) + 1);
    EXPECT_FALSE(numbers[category].contains(next.number())) << next.number();
  }
}

TEST_F(Backup, RestoreReplacesAKilledServersLogWhole) {
  live_.start();
  for (int i = 0; i < 10; ++i) take_ticket(live_.port(), "A");
  const auto copy = dir_.path() / "copy.db";
  const auto backed_up =
      run_backup({"--database", live_.database().string(), "--to", copy.string()}, dir_.path());
  ASSERT_EQ(backed_up.exit_code, 0) << backed_up.output;
  // Later tickets, then SIGKILL: their pages are still in the -wal file,
  // which the restore must not let back in.
  for (int i = 0; i < 15; ++i) take_ticket(live_.port(), "A");
  live_.kill();
  ASSERT_TRUE(std::filesystem::exists(live_.database().string() + "-wal"));

  const auto restored =
      run_backup({"--restore", copy.string(), "--to", live_.database().string()}, dir_.path());
  ASSERT_EQ(restored.exit_code, 0) << restored.output;
  live_.start();
  const auto state = snapshot(live_.port());
  EXPECT_EQ(issued_per_category(state)["A"], 10u);
  EXPECT_EQ(state.tickets_size(), 10);
  EXPECT_EQ(take_ticket(live_.port(), "A").number(), "A0011");
}

TEST_F(Backup, RefusesACopyWithAGapAFileThatIsNoLogAndAnExistingDestination) {
  live_.start();
  for (int i = 0; i < 5; ++i) take_ticket(live_.port(), "B");
  const auto copy = dir_.path() / "copy.db";
  ASSERT_EQ(
      run_backup({"--database", live_.database().string(), "--to", copy.string()}, dir_.path())
          .exit_code,
      0);

  const auto again =
      run_backup({"--database", live_.database().string(), "--to", copy.string()}, dir_.path());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("exists"), std::string::npos) << again.output;

  const auto stranger = dir_.path() / "notes.txt";
  std::ofstream(stranger) << "không phải nhật ký sự kiện\n";
  const auto refused = run_backup(
      {"--restore", stranger.string(), "--to", (dir_.path() / "restored" / "luot.db").string()},
      dir_.path());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "restored" / "luot.db"));

  // An event cut out of the copy: the check finds the gap.
  sqlite3* database = nullptr;
  ASSERT_EQ(sqlite3_open(copy.c_str(), &database), SQLITE_OK);
  EXPECT_EQ(sqlite3_exec(database, "DELETE FROM events WHERE seq = 3", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(database);
  const auto checked = run_backup({"--verify", copy.string()}, dir_.path());
  EXPECT_EQ(checked.exit_code, 1);
  EXPECT_NE(checked.output.find("missing"), std::string::npos) << checked.output;
}

}  // namespace
}  // namespace luot::testing
