// HTTPS and WSS against a real luot-server on 127.0.0.1:0 with a throwaway
// CA made at test time: the device client verifies the certificate and gets
// the view and a pushed call, an untrusted or misnamed certificate is
// refused, plain HTTP on the TLS port gets one clear refusal, and a broken
// certificate or key stops the start with the file and the problem.

#include <gtest/gtest.h>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "../server/support.hpp"
#include "device/device_client.hpp"
#include "test_pki.hpp"
#include "tls_client.hpp"

namespace luot::testing {
namespace {

using namespace std::chrono_literals;

// Generous: CI runs two suites at once on two loaded cores.
constexpr auto patience = 30s;

config::settings tls_settings(const temp_dir& directory, const server_credentials& credentials) {
  auto settings = test_settings(directory.path() / "luot.db");
  settings.server.tls_certificate = credentials.certificate;
  settings.server.tls_private_key = credentials.private_key;
  settings.server.handshake_timeout = 2s;
  return settings;
}

device::options device_options(std::uint16_t port, const std::string& host,
                               const std::filesystem::path& ca_file) {
  device::options options;
  options.server_url = "wss://" + host + ":" + std::to_string(port);
  options.ca_file = ca_file.string();
  options.token = display_token;
  options.connect_timeout = 20s;
  options.ping_interval = 2s;
  options.ping_timeout = 20s;
  options.backoff_initial = 100ms;
  options.backoff_max = 500ms;
  return options;
}

// The reason a client gave for its first failed connection: read from the
// state callback, since by the time a test looks, the client may already
// be trying again.
class first_refusal {
 public:
  explicit first_refusal(device::device_client& client) {
    client.on_state([this](const device::link_status& status) {
      const std::lock_guard lock(mutex_);
      if (status.state == device::connection_state::disconnected && reason_.empty()) {
        reason_ = status.reason;
        refused_.notify_all();
      }
    });
  }
  // Waits for the first refusal; false after `wait`.
  bool wait(std::chrono::milliseconds wait) {
    std::unique_lock lock(mutex_);
    return refused_.wait_for(lock, wait, [this] { return !reason_.empty(); });
  }
  std::string reason() const {
    const std::lock_guard lock(mutex_);
    return reason_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable refused_;
  std::string reason_;
};

class Tls : public ::testing::Test {
 protected:
  temp_dir directory_;
  test_pki pki_{directory_.path()};
  server_credentials credentials_ = pki_.issue("server", {"localhost", "127.0.0.1"});
  running_server server_{tls_settings(directory_, credentials_)};

  std::uint16_t port() const { return server_.port(); }
  const std::filesystem::path& ca() const { return pki_.ca_certificate(); }
};

TEST_F(Tls, DeviceClientOverWssGetsTheViewAndAPushedCall) {
  device::device_client display(device_options(port(), "localhost", ca()));
  std::mutex mutex;
  std::vector<std::string> live_calls;
  display.on_call([&](const v1::Call& call, device::call_origin origin) {
    const std::lock_guard lock(mutex);
    if (origin == device::call_origin::live) live_calls.push_back(call.number());
  });
  display.start();
  ASSERT_TRUE(display.wait_for(device::connection_state::live, patience))
      << display.status().reason;
  EXPECT_TRUE(display.has_view());

  // A citizen takes a ticket and an officer calls it, both over HTTPS.
  const auto taken = https_call(port(), ca(), "POST", "/api/v1/tickets", R"({"category":"A"})");
  ASSERT_EQ(taken.status, 201u) << taken.error << taken.body;
  const auto ticket = parse<v1::Ticket>(taken.body);
  EXPECT_EQ(ticket.number(), "A001");
  const auto session = https_call(
      port(), ca(), "POST", "/api/v1/sessions",
      R"({"username":"lan","password":")" + std::string(officer_password) + R"(","counter":"1"})");
  ASSERT_EQ(session.status, 201u) << session.error << session.body;
  const auto token = parse<v1::SessionInfo>(session.body).token();
  const auto called = https_call(port(), ca(), "POST", "/api/v1/counters/1/call-next", {}, token);
  ASSERT_EQ(called.status, 200u) << called.error << called.body;

  ASSERT_TRUE(display.wait_until(
      [&](const v1::View& view) {
        return view.recent_calls_size() > 0 && view.recent_calls(0).number() == ticket.number();
      },
      patience));
  // The call is reported on the client's thread, possibly just after the
  // view changed: wait for it too.
  const auto deadline = std::chrono::steady_clock::now() + patience;
  for (;;) {
    {
      const std::lock_guard lock(mutex);
      if (!live_calls.empty() || std::chrono::steady_clock::now() > deadline) break;
    }
    std::this_thread::sleep_for(10ms);
  }
  const std::lock_guard lock(mutex);
  EXPECT_EQ(live_calls, std::vector<std::string>{ticket.number()});
}

TEST_F(Tls, AnAddressInTheUrlIsCheckedAgainstTheCertificatesAddresses) {
  device::device_client display(device_options(port(), "127.0.0.1", ca()));
  display.start();
  EXPECT_TRUE(display.wait_for(device::connection_state::live, patience))
      << display.status().reason;
}

TEST_F(Tls, AClientThatDoesNotTrustTheCaIsRefused) {
  // No CA file: the system's store, which does not know the test CA.
  auto options = device_options(port(), "localhost", ca());
  options.ca_file.clear();
  device::device_client display(options);
  first_refusal refusal(display);
  display.start();
  ASSERT_TRUE(refusal.wait(patience));
  EXPECT_NE(refusal.reason().find("certificate verify failed"), std::string::npos)
      << refusal.reason();
  EXPECT_FALSE(display.has_view());
  // The server is unharmed: a trusting client still gets in.
  EXPECT_EQ(https_call(port(), ca(), "GET", "/healthz").status, 200u);
}

TEST_F(Tls, ACertificateForAnotherHostIsRefused) {
  temp_dir other_directory;
  const auto elsewhere = pki_.issue("elsewhere", {"luot.example"});
  running_server other(tls_settings(other_directory, elsewhere));
  device::device_client display(device_options(other.port(), "localhost", ca()));
  first_refusal refusal(display);
  display.start();
  ASSERT_TRUE(refusal.wait(patience));
  EXPECT_NE(refusal.reason().find("hostname mismatch"), std::string::npos) << refusal.reason();
  const auto reply = https_call(other.port(), ca(), "GET", "/healthz");
  EXPECT_EQ(reply.status, 0u);
  EXPECT_NE(reply.error.find("certificate verify failed"), std::string::npos) << reply.error;
}

TEST_F(Tls, PlainHttpOnTheTlsPortGetsOneClearRefusal) {
  const auto reply = http_call(port(), "POST", "/api/v1/tickets", R"({"category":"A"})");
  EXPECT_EQ(reply.status, 400u);
  EXPECT_NE(reply.body.find("https://"), std::string::npos) << reply.body;
  // Nothing was taken: the next ticket over HTTPS is the first.
  const auto taken = https_call(port(), ca(), "POST", "/api/v1/tickets", R"({"category":"A"})");
  ASSERT_EQ(taken.status, 201u) << taken.error << taken.body;
  EXPECT_EQ(parse<v1::Ticket>(taken.body).number(), "A001");

  // A device pointed at ws:// is told the same, and stays disconnected.
  auto options = device_options(port(), "localhost", ca());
  options.server_url = "ws://127.0.0.1:" + std::to_string(port());
  device::device_client display(options);
  first_refusal refusal(display);
  display.start();
  ASSERT_TRUE(refusal.wait(patience));
  EXPECT_NE(refusal.reason().find("HTTP 400"), std::string::npos) << refusal.reason();
}

TEST_F(Tls, AnOversizeMessageOverWssIsCutOffWithTheReason) {
  // The cut-off's close frame is written under the WebSocket layer: over
  // TLS it must still arrive encrypted and whole.
  const auto limit = server_.settings().server.websocket_message_limit;
  const auto seen = wss_send_and_wait_for_close(port(), ca(), limit + 1);
  ASSERT_TRUE(seen.error.empty()) << seen.error;
  EXPECT_EQ(seen.code, 1009);
  EXPECT_NE(seen.reason.find("too large"), std::string::npos) << seen.reason;
}

TEST_F(Tls, SilenceAndAHalfHandshakeAreClosedByTheHandshakeDeadline) {
  EXPECT_TRUE(closed_by_server(port(), {}, patience));
  // The first bytes of a ClientHello record, and then nothing.
  EXPECT_TRUE(closed_by_server(port(), std::string("\x16\x03\x01\x02\x00\x01", 6), patience));
}

// --- a broken TLS setup stops the start, naming the file and the problem ---

std::string start_failure(const config::settings& settings) {
  try {
    running_server server(settings);
  } catch (const std::exception& failure) {
    return failure.what();
  }
  return "(the server started)";
}

TEST(TlsSetup, ABrokenCertificateOrKeyStopsTheStartWithTheFileAndTheProblem) {
  temp_dir directory;
  test_pki pki(directory.path());
  const auto good = pki.issue("server", {"localhost"});
  const auto other = pki.issue("other", {"localhost"});
  const auto garbage = directory.path() / "garbage.pem";
  std::ofstream(garbage) << "not a certificate\n";

  struct row {
    const char* what;
    std::filesystem::path certificate;
    std::filesystem::path key;
    std::string expected;
  };
  const row rows[] = {
      {"missing certificate", directory.path() / "absent.crt", good.private_key,
       (directory.path() / "absent.crt").string() + ": no such file"},
      {"missing key", good.certificate, directory.path() / "absent.key",
       (directory.path() / "absent.key").string() + ": no such file"},
      {"garbage certificate", garbage, good.private_key,
       garbage.string() + ": not a PEM certificate chain"},
      {"garbage key", good.certificate, garbage, garbage.string() + ": not an unencrypted PEM"},
      {"key of another certificate", good.certificate, other.private_key,
       other.private_key.string() + " does not belong to the certificate"},
      {"a directory", directory.path(), good.private_key, "is a directory"},
  };
  for (const auto& each : rows) {
    SCOPED_TRACE(each.what);
    auto settings = test_settings(directory.path() / "luot.db");
    settings.server.tls_certificate = each.certificate;
    settings.server.tls_private_key = each.key;
    const auto failure = start_failure(settings);
    EXPECT_NE(failure.find(each.expected), std::string::npos) << failure;
  }
}

TEST(TlsSetup, TheConfigNeedsBothKeysAndTakesPathsFromItsDirectory) {
  const std::string centre = R"(
[centre]
name = "T"
[[categories]]
code = "A"
name_vi = "A"
name_en = "A"
format = { prefix = "A", width = 3 }
[[counters]]
id = "1"
name_vi = "1"
name_en = "1"
categories = ["A"]
)";
  try {
    config::parse("[server]\ntls_certificate = \"server.crt\"\n" + centre, "centre.toml");
    ADD_FAILURE() << "a certificate without a key was accepted";
  } catch (const config::config_error& failure) {
    EXPECT_NE(std::string(failure.what()).find("centre.toml:2:"), std::string::npos)
        << failure.what();
    EXPECT_NE(std::string(failure.what()).find("needs \"server.tls_private_key\""),
              std::string::npos)
        << failure.what();
  }
  temp_dir directory;
  std::ofstream(directory.path() / "centre.toml")
      << "[server]\ntls_certificate = \"tls/server.crt\"\ntls_private_key = \"tls/server.key\"\n"
      << centre;
  const auto loaded = config::load_file(directory.path() / "centre.toml");
  EXPECT_EQ(loaded.server.tls_certificate, directory.path() / "tls/server.crt");
  EXPECT_EQ(loaded.server.tls_private_key, directory.path() / "tls/server.key");
}

}  // namespace
}  // namespace luot::testing
