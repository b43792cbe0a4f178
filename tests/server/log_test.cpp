// What a hostile client can make the server write into its log, and the
// escaping that keeps it to one harmless line.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <mutex>
#include <sstream>

#include "net/log_text.hpp"
#include "support.hpp"

namespace luot::testing {
namespace {

TEST(LogText, EscapesControlCharactersAndCapsLength) {
  struct row {
    std::string given;
    std::string logged;
  };
  const std::vector<row> rows = {
      {"kiosk-1", "kiosk-1"},
      {"Máy cấp số tầng 1", "Máy cấp số tầng 1"},
      // A forged second line, and terminal escape codes.
      {"x\n[2026-01-01 00:00:00] [critical] forged", "x\\n[2026-01-01 00:00:00] [critical] forged"},
      {"a\r\tb\x1b[31mred", "a\\r\\tb\\x1b[31mred"},
      {std::string("nul\0byte", 8), "nul\\x00byte"},
      {"back\\slash", "back\\\\slash"},
      // C1 controls, the Unicode line separator, a bidi override.
      {"c1\xc2\x85 ls\xe2\x80\xa8 rlo\xe2\x80\xae", "c1\\u0085 ls\\u2028 rlo\\u202e"},
      // Not UTF-8: a lone continuation byte, a truncated sequence, an
      // overlong slash, a surrogate.
      {"\x80\xe1\x80 \xc0\xaf \xed\xa0\x80", "\\x80\\xe1\\x80 \\xc0\\xaf \\xed\\xa0\\x80"},
  };
  for (const auto& entry : rows) {
    SCOPED_TRACE(entry.logged);
    EXPECT_EQ(net::log_text(entry.given), entry.logged);
  }
  // Capped by characters, not bytes, and marked as cut.
  std::string long_name;
  for (int i = 0; i < 200; ++i) long_name += "ệ";
  std::string expected;
  for (int i = 0; i < 80; ++i) expected += "ệ";
  EXPECT_EQ(net::log_text(long_name), expected + "…");
  EXPECT_EQ(net::log_text(std::string(80, 'a')), std::string(80, 'a'));
  EXPECT_EQ(net::log_text("abcdef", 3), "abc…");
}

TEST(LogText, EchoedTextIsValidUtf8AndShort) {
  EXPECT_EQ(net::echo_text("Quầy 1\n"), "Quầy 1\n");
  EXPECT_EQ(net::echo_text("a\xff\xfe b \xe1\x80"), "a\uFFFD\uFFFD b \uFFFD\uFFFD");
  EXPECT_EQ(net::echo_text(std::string(300, 'x')), std::string(200, 'x') + "…");
}

// Collects what the server logs, from the moment it is made until it is
// destroyed; readable while server threads log.
class captured_log {
 public:
  captured_log() : previous_(spdlog::default_logger()), sink_(std::make_shared<line_sink>()) {
    auto logger = std::make_shared<spdlog::logger>("captured", sink_);
    logger->set_level(spdlog::level::trace);
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }
  ~captured_log() { spdlog::set_default_logger(previous_); }
  captured_log(const captured_log&) = delete;
  captured_log& operator=(const captured_log&) = delete;

  std::string text() const { return sink_->text(); }

 private:
  class line_sink final : public spdlog::sinks::base_sink<std::mutex> {
   public:
    std::string text() {
      const std::lock_guard lock(mutex_);
      return text_;
    }

   protected:
    void sink_it_(const spdlog::details::log_msg& message) override {
      spdlog::memory_buf_t formatted;
      formatter_->format(message, formatted);
      text_.append(formatted.data(), formatted.size());
    }
    void flush_() override {}

   private:
    std::string text_;
  };

  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<line_sink> sink_;
};

TEST(LogText, BadUtf8FromAnonymousClientsLogsNothingAboveDebug) {
  // The capture outlives the server, so no server thread logs into a
  // logger that is gone; what the server logs while starting is skipped.
  captured_log log;
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  const auto started = log.text().size();
  ::testing::internal::CaptureStderr();
  // Invalid UTF-8 in a JSON body, and in a binary protobuf frame.
  for (int i = 0; i < 5; ++i) {
    const auto reply =
        http_call(server.port(), "POST", "/api/v1/tickets", "{\"category\":\"A\xff\xfe\"}");
    EXPECT_EQ(reply.status, 400u) << reply.body;
    // The error may quote the body, but as valid UTF-8.
    const auto error = parse<v1::Error>(reply.body);
    EXPECT_EQ(error.code(), v1::ERROR_CODE_MALFORMED_MESSAGE);
    EXPECT_EQ(net::echo_text(error.message_en()), error.message_en());
  }
  protocol_probe probe(server.port(), "luot.v1.proto");
  v1::ClientMessage hello;
  hello.set_request_id(7);
  hello.mutable_hello()->set_client("ok");
  std::string frame = hello.SerializeAsString();
  // The client field's bytes "ok" become an invalid UTF-8 pair.
  const auto at = frame.find("ok");
  ASSERT_NE(at, std::string::npos);
  frame[at] = '\xff';
  frame[at + 1] = '\xfe';
  for (int i = 0; i < 5; ++i) {
    probe.send_raw(frame, false);
    const auto answer = probe.receive();
    EXPECT_EQ(answer.error().code(), v1::ERROR_CODE_MALFORMED_MESSAGE);
  }
  const auto printed = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(printed.find("libprotobuf"), std::string::npos) << printed;
  std::istringstream lines(log.text().substr(started));
  for (std::string line; std::getline(lines, line);)
    EXPECT_TRUE(line.starts_with("debug ") || line.starts_with("trace ")) << line;
}

TEST(LogText, SecretsNeverReachTheLogNorTheMetrics) {
  // Everything at trace level, through every path a secret travels: sign-in
  // (right and wrong password), bearer tokens on HTTP and in a WebSocket
  // Hello, a kiosk's ticket with its status token, a phone following it.
  captured_log log;
  temp_dir dir;
  running_server server(test_settings(dir.path() / "luot.db"));
  const auto officer = sign_in(server.port(), "lan", "1");
  const auto wrong =
      http_call(server.port(), "POST", "/api/v1/sessions",
                R"({"username":"minh","password":"sai-mat-khau-123","counter":"2"})");
  EXPECT_EQ(wrong.status, 401u) << wrong.body;
  const auto issued = http_call(server.port(), "POST", "/api/v1/tickets",
                                R"({"category":"A","clientKey":"k-1"})", kiosk_token);
  ASSERT_EQ(issued.status, 201u) << issued.body;
  const auto ticket = parse<v1::Ticket>(issued.body);
  ASSERT_FALSE(ticket.status_token().empty());
  EXPECT_EQ(http_call(server.port(), "GET", "/api/v1/tickets/" + ticket.status_token()).status,
            200u);
  protocol_probe display(server.port(), "luot.v1.json");
  EXPECT_TRUE(display.request(hello_message(display_token)).has_welcome());
  EXPECT_TRUE(display.request(subscribe_message(std::nullopt)).has_view());
  protocol_probe phone(server.port(), "luot.v1.proto");
  v1::ClientMessage follow = subscribe_message(std::nullopt, 9);
  follow.mutable_subscribe()->set_ticket_token(ticket.status_token());
  EXPECT_TRUE(phone.request(follow).has_view());
  counter_action(server.port(), officer, "1", "call-next");
  EXPECT_GE(display.next_update().seq(), 2u);
  EXPECT_EQ(http_call(server.port(), "DELETE", "/api/v1/sessions", {}, officer).status, 200u);

  const auto metrics = http_call(server.port(), "GET", "/metrics").body;
  const auto written = log.text();
  ASSERT_NE(written.find("info "), std::string::npos);  // The capture works.
  for (const std::string& secret :
       {std::string(officer_password), std::string("sai-mat-khau-123"), officer,
        std::string(kiosk_token), std::string(display_token), ticket.status_token()}) {
    EXPECT_EQ(written.find(secret), std::string::npos) << secret << " in the log:\n" << written;
    EXPECT_EQ(metrics.find(secret), std::string::npos) << secret << " in /metrics";
  }
}

}  // namespace
}  // namespace luot::testing
