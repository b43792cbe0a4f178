#include "postgres_instance.hpp"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace luot::testing {

namespace {

using namespace std::chrono_literals;

// The socket lives in the instance's own directory, so any port number is
// free there.
constexpr const char* port = "5432";

// Generous: CI starts servers on two loaded cores next to other suites, and
// a start after kill() replays the WAL first.
constexpr auto start_timeout = 120s;

std::string read_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Characters a URL carries as they are; everything else is %XX. A path
// keeps its slashes; a user or password must not.
enum class slashes { keep, encode };
std::string percent_encoded(const std::string& text, slashes slash = slashes::encode) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string encoded;
  for (const unsigned char character : text) {
    if (std::isalnum(character) != 0 || character == '-' || character == '.' || character == '_' ||
        character == '~' || (character == '/' && slash == slashes::keep)) {
      encoded.push_back(static_cast<char>(character));
    } else {
      encoded += {'%', digits[character >> 4], digits[character & 15]};
    }
  }
  return encoded;
}

// How the child of fork() becomes the unprivileged user; empty when the
// test already runs as one.
struct identity {
  bool drop = false;
  uid_t user = 0;
  gid_t group = 0;
};

// Starts `arguments` with its output in `output`, as `who`, in its own
// process group, killed when this thread ends. Everything is prepared before
// fork: in between fork and exec only async-signal-safe calls are allowed.
pid_t spawn(std::vector<std::string> arguments, int output, const identity& who) {
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const int nothing = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (nothing < 0) throw std::runtime_error("cannot open /dev/null");
  const pid_t parent = ::getpid();
  const pid_t child = ::fork();
  if (child == 0) {
    if (who.drop &&
        (::setgroups(0, nullptr) != 0 || ::setgid(who.group) != 0 || ::setuid(who.user) != 0)) {
      ::_exit(126);
    }
    // After setuid, which clears it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    ::setpgid(0, 0);
    if (::dup2(nothing, STDIN_FILENO) < 0 || ::dup2(output, STDOUT_FILENO) < 0 ||
        ::dup2(output, STDERR_FILENO) < 0) {
      ::_exit(127);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(nothing);
  if (child < 0) throw std::runtime_error("fork failed");
  return child;
}

int wait_for(pid_t child) {
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// The state letter and parent of a process from /proc/<pid>/stat; state
// '\0' when it is gone.
struct process_status {
  char state = '\0';
  pid_t parent = 0;
};

process_status status_of(pid_t process) {
  const std::string text = read_file("/proc/" + std::to_string(process) + "/stat");
  // "pid (command) S ppid ...": the command may hold spaces and parentheses.
  const auto close = text.rfind(')');
  process_status status;
  if (close == std::string::npos || close + 4 >= text.size()) return status;
  status.state = text[close + 2];
  const char* first = text.data() + close + 4;
  std::from_chars(first, text.data() + text.size(), status.parent);
  return status;
}

std::vector<pid_t> children_of(pid_t parent) {
  std::vector<pid_t> children;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    pid_t process = 0;
    const auto parsed = std::from_chars(name.data(), name.data() + name.size(), process);
    if (parsed.ec != std::errc{} || parsed.ptr != name.data() + name.size()) continue;
    if (status_of(process).parent == parent) children.push_back(process);
  }
  return children;
}

// Polls until `done` holds; throws `what` after `timeout`.
template <typename Condition>
void wait_until(Condition done, std::chrono::seconds timeout, const std::string& what) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error(what);
    std::this_thread::sleep_for(10ms);
  }
}

struct connection_closer {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
struct result_clearer {
  void operator()(PGresult* result) const { PQclear(result); }
};

}  // namespace

postgres_instance::postgres_instance() {
  const char* configured = std::getenv("LUOT_POSTGRES_BINDIR");
  binaries_ = configured != nullptr ? configured : "/usr/lib/postgresql/15/bin";
  for (const char* program : {"initdb", "postgres"}) {
    if (::access((binaries_ / program).c_str(), X_OK) != 0) {
      throw std::runtime_error(
          "PostgreSQL 15 is not installed: no " + (binaries_ / program).string() +
          ". The PostgreSQL tests start a real server; install Debian's postgresql package "
          "(deploy/install-deps.sh does) or set LUOT_POSTGRES_BINDIR");
    }
  }
  identity who;
  if (::geteuid() == 0) {
    // PostgreSQL refuses to run as root.
    const passwd* nobody = ::getpwnam("nobody");
    if (nobody == nullptr) {
      throw std::runtime_error("running as root, and there is no user 'nobody' to run PostgreSQL");
    }
    drop_privileges_ = true;
    user_ = nobody->pw_uid;
    group_ = nobody->pw_gid;
  }

  // Short, so the socket path stays under the 107 bytes a unix socket allows.
  std::string pattern = "/tmp/luot-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("cannot create a directory for PostgreSQL under /tmp");
  }
  directory_ = pattern;
  data_ = directory_ / "data";
  try {
    create_cluster();
    start();
  } catch (...) {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
    throw;
  }
}

void postgres_instance::create_cluster() {
  if (drop_privileges_ && ::chown(directory_.c_str(), user_, group_) != 0) {
    throw std::runtime_error("cannot hand " + directory_.string() + " to user 'nobody'");
  }

  const auto initdb_log = directory_ / "initdb.log";
  const int output = ::open(initdb_log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (output < 0) throw std::runtime_error("cannot create " + initdb_log.string());
  // --no-sync only skips flushing the new cluster's files at the end of
  // initdb (seconds here); the running server still fsyncs every commit.
  const pid_t initdb =
      spawn({(binaries_ / "initdb").string(), "--pgdata=" + data_.string(), "--username=postgres",
             "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions"},
            output, identity{drop_privileges_, user_, group_});
  ::close(output);
  const int status = wait_for(initdb);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error("initdb failed:\n" + read_file(initdb_log));
  }
  // One role signs in with its password, so tests can check that a
  // password never leaks into a message; everyone else is trusted.
  std::ofstream(data_ / "pg_hba.conf", std::ios::trunc)
      << "local all " << password_role << " scram-sha-256\n"
      << "local all all trust\n";
}

postgres_instance::~postgres_instance() {
  try {
    stop();
  } catch (const std::exception&) {
    // Removing the directory below is all that is left to do.
  }
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

void postgres_instance::start() {
  if (running()) return;
  const auto log_file = directory_ / "postgres.log";
  const int output = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (output < 0) throw std::runtime_error("cannot open " + log_file.string());
  // Small, for a fast start; fsync, synchronous_commit and full_page_writes
  // keep their durable defaults. After a crash the server flushes the whole
  // data directory before recovery: syncfs does that in one call instead of
  // an fsync per file (seconds here), as production servers may too.
  postmaster_ =
      spawn({(binaries_ / "postgres").string(), "-D", data_.string(), "-k", directory_.string(),
             "-p", port, "-c", "listen_addresses=", "-c", "shared_buffers=16MB", "-c",
             "max_connections=20", "-c", "recovery_init_sync_method=syncfs"},
            output, identity{drop_privileges_, user_, group_});
  ::close(output);
  const std::string ping = "host=" + directory_.string() + " port=" + port +
                           " dbname=postgres user=postgres connect_timeout=5";
  const auto deadline = std::chrono::steady_clock::now() + start_timeout;
  while (PQping(ping.c_str()) != PQPING_OK) {
    int status = 0;
    if (::waitpid(postmaster_, &status, WNOHANG) == postmaster_) {
      postmaster_ = -1;
      throw std::runtime_error("postgres exited at start:\n" + log());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("postgres did not accept connections in time:\n" + log());
    }
    std::this_thread::sleep_for(10ms);
  }
}

void postgres_instance::stop() {
  if (!running()) return;
  // Immediate shutdown: the cluster is removed next, nothing needs saving.
  ::kill(postmaster_, SIGQUIT);
  const pid_t postmaster = postmaster_;
  postmaster_ = -1;
  wait_for(postmaster);
}

void postgres_instance::kill() {
  if (!running()) return;
  // Stopped first, so it starts no new process while they are collected.
  ::kill(postmaster_, SIGSTOP);
  wait_until([this] { return status_of(postmaster_).state == 'T'; }, 30s,
             "the postmaster did not stop");
  const auto children = children_of(postmaster_);
  for (const pid_t child : children) ::kill(child, SIGKILL);
  ::kill(postmaster_, SIGKILL);
  wait_for(postmaster_);
  postmaster_ = -1;
  // Their shared memory must be gone before a new postmaster may start.
  for (const pid_t child : children) {
    wait_until(
        [child] {
          const char state = status_of(child).state;
          return state == '\0' || state == 'Z';
        },
        30s, "a killed PostgreSQL process did not die");
  }
}

std::string postgres_instance::create_database(const std::string& prefix) {
  const std::string name = prefix + "_" + std::to_string(++databases_);
  rows("postgres", "CREATE DATABASE " + name);
  return name;
}

std::string postgres_instance::url(const std::string& database, const std::string& user,
                                   const std::string& password) const {
  std::string url = "postgresql://" + percent_encoded(user);
  if (!password.empty()) url += ":" + percent_encoded(password);
  return url + "@/" + database + "?host=" + percent_encoded(directory_.string(), slashes::keep) +
         "&port=" + port;
}

std::vector<std::vector<std::string>> postgres_instance::rows(const std::string& database,
                                                              const std::string& sql) {
  const std::string socket = directory_.string();
  const char* const keywords[] = {"host", "port", "dbname", "user", nullptr};
  const char* const values[] = {socket.c_str(), port, database.c_str(), "postgres", nullptr};
  const std::unique_ptr<PGconn, connection_closer> connection(
      PQconnectdbParams(keywords, values, 0));
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    throw std::runtime_error("cannot connect to " + database + ": " +
                             PQerrorMessage(connection.get()));
  }
  const std::unique_ptr<PGresult, result_clearer> result(PQexec(connection.get(), sql.c_str()));
  const auto status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(result.get()));
  }
  std::vector<std::vector<std::string>> table;
  for (int row = 0; row < PQntuples(result.get()); ++row) {
    auto& cells = table.emplace_back();
    for (int column = 0; column < PQnfields(result.get()); ++column) {
      cells.emplace_back(PQgetisnull(result.get(), row, column) != 0
                             ? "NULL"
                             : PQgetvalue(result.get(), row, column));
    }
  }
  return table;
}

std::string postgres_instance::value(const std::string& database, const std::string& sql) {
  const auto table = rows(database, sql);
  return table.empty() || table.front().empty() ? "" : table.front().front();
}

std::string postgres_instance::log() const {
  return read_file(directory_ / "postgres.log");
}

postgres_instance& shared_postgres() {
  static std::mutex mutex;
  static std::unique_ptr<postgres_instance> instance;
  static std::string failure;
  const std::lock_guard lock(mutex);
  if (instance) return *instance;
  if (!failure.empty()) throw std::runtime_error(failure);
  try {
    instance = std::make_unique<postgres_instance>();
  } catch (const std::exception& error) {
    failure = error.what();
    throw;
  }
  return *instance;
}

}  // namespace luot::testing
