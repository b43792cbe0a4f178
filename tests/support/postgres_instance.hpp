#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace luot::testing {

// A private PostgreSQL server for tests, nothing assumed to be running: the
// Debian postgresql package's initdb into a fresh temporary directory, then
// postgres listening only on a unix socket in that directory. PostgreSQL
// refuses to run as root, so under root (as CI runs) both run as `nobody`.
// The server keeps its durable defaults (fsync, synchronous_commit,
// full_page_writes); only memory and connection limits are made small.
// Stopped and removed on destruction; killed with the test program
// (PR_SET_PDEATHSIG), so construct it on the thread that lives longest.
class postgres_instance {
 public:
  // The role that must sign in with its password (scram-sha-256); every
  // other role is trusted on the socket. Tests create it when they need it.
  static constexpr const char* password_role = "luot_password_user";

  // Creates the cluster and starts the server. Throws std::runtime_error
  // with the reason and the server's log, or naming the binaries when the
  // PostgreSQL 15 server is not installed (LUOT_POSTGRES_BINDIR overrides
  // /usr/lib/postgresql/15/bin).
  postgres_instance();
  ~postgres_instance();
  postgres_instance(const postgres_instance&) = delete;
  postgres_instance& operator=(const postgres_instance&) = delete;

  // A new, empty database; returns its name.
  std::string create_database(const std::string& prefix = "luot");
  // A postgresql:// URL for `database` over the unix socket, as `user`
  // (and with `password` when not empty).
  std::string url(const std::string& database, const std::string& user = "postgres",
                  const std::string& password = {}) const;

  // Runs SQL (several statements allowed) on `database` as the superuser,
  // from outside any store, as an operator's psql would. Returns every row
  // of the last statement, each column as text ("NULL" for null). Throws
  // std::runtime_error with PostgreSQL's message.
  std::vector<std::vector<std::string>> rows(const std::string& database, const std::string& sql);
  // The first column of the first row, or "" when there is none.
  std::string value(const std::string& database, const std::string& sql);

  // What a crash of the database machine does to the server's processes:
  // SIGKILL to the postmaster and every process it started, at once.
  // Nothing is shut down cleanly; start() then runs crash recovery.
  void kill();
  // Starts the server on the existing cluster and waits until it accepts
  // connections (after kill(), once its recovery is done).
  void start();
  bool running() const { return postmaster_ > 0; }

  const std::filesystem::path& directory() const { return directory_; }
  // The server's output so far.
  std::string log() const;

 private:
  void create_cluster();
  void stop();

  std::filesystem::path binaries_;
  std::filesystem::path directory_;
  std::filesystem::path data_;
  // The unprivileged account the server runs as, when started by root.
  bool drop_privileges_ = false;
  uid_t user_ = 0;
  gid_t group_ = 0;
  pid_t postmaster_ = -1;
  int databases_ = 0;
};

// The one server a test program shares, started on first use (a program
// that runs no PostgreSQL test never starts one) and stopped at exit. Tests
// isolate themselves with create_database(). Throws the start's error on
// every call once it failed, so each PostgreSQL test fails with the reason.
postgres_instance& shared_postgres();

}  // namespace luot::testing
