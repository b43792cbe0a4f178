#include "device/codec.hpp"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "device/options.hpp"

namespace luot::device {
namespace {

TEST(DeviceCodec, NamesTheSubprotocolOfEachEncoding) {
  EXPECT_EQ(subprotocol(encoding::binary), "luot.v1.proto");
  EXPECT_EQ(subprotocol(encoding::json), "luot.v1.json");
}

TEST(DeviceCodec, ClientMessagesAreProtobufOrCanonicalJson) {
  v1::ClientMessage hello;
  hello.set_request_id(12345678901234ull);
  hello.mutable_hello()->set_token("display-secret-token");
  hello.mutable_hello()->set_client("luot-display 0.1");

  v1::ClientMessage from_binary;
  ASSERT_TRUE(from_binary.ParseFromString(encode(hello, encoding::binary)));
  EXPECT_EQ(from_binary.SerializeAsString(), hello.SerializeAsString());

  const auto json = encode(hello, encoding::json);
  // Canonical JSON: lowerCamelCase names, 64-bit integers as strings.
  EXPECT_NE(json.find("\"requestId\":\"12345678901234\""), std::string::npos) << json;
  v1::ClientMessage from_json;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &from_json).ok());
  EXPECT_EQ(from_json.SerializeAsString(), hello.SerializeAsString());
}

TEST(DeviceCodec, DecodesServerMessagesAndSkipsFieldsItDoesNotKnow) {
  v1::ServerMessage update;
  update.mutable_update()->set_seq(42);
  update.mutable_update()->mutable_call()->set_number("A007");
  v1::ServerMessage decoded;
  EXPECT_FALSE(decode(update.SerializeAsString(), encoding::binary, decoded));
  EXPECT_EQ(decoded.update().call().number(), "A007");

  // A newer server may add fields; an older device must still read the rest.
  const std::string json = R"({"update":{"seq":"42","futureField":true,"call":{"number":"A007"}}})";
  v1::ServerMessage from_json;
  EXPECT_FALSE(decode(json, encoding::json, from_json));
  EXPECT_EQ(from_json.update().seq(), 42u);
  EXPECT_EQ(from_json.update().call().number(), "A007");
}

TEST(DeviceCodec, RefusesFramesThatAreNotServerMessages) {
  struct row {
    std::string frame;
    encoding format;
  };
  const row rows[] = {
      {"{not json", encoding::json},
      {"[1,2,3]", encoding::json},
      {R"({"update":{"seq":"many"}})", encoding::json},
      {std::string("\xff\xff\xff\xff\x0f", 5), encoding::binary},
  };
  for (const auto& each : rows) {
    SCOPED_TRACE(each.frame);
    v1::ServerMessage message;
    const auto problem = decode(each.frame, each.format, message);
    ASSERT_TRUE(problem);
    EXPECT_NE(problem->find("ServerMessage"), std::string::npos) << *problem;
  }
}

TEST(DeviceOptions, RefusesSettingsThatCannotWork) {
  const auto good = [] {
    options settings;
    settings.server_url = "http://127.0.0.1:8080";
    return settings;
  };
  EXPECT_FALSE(check(good()));
  struct row {
    const char* what;
    void (*change)(options&);
    const char* reason_contains;
  };
  const row rows[] = {
      {"bad url", [](options& o) { o.server_url = "luot"; }, "no scheme"},
      {"zero ping interval", [](options& o) { o.ping_interval = {}; }, "ping interval"},
      {"timeout below interval", [](options& o) { o.ping_timeout = o.ping_interval; },
       "ping timeout must be longer"},
      {"zero backoff", [](options& o) { o.backoff_initial = {}; }, "initial backoff"},
      {"max below initial", [](options& o) { o.backoff_max = o.backoff_initial / 2; },
       "maximum backoff"},
      {"zero connect timeout", [](options& o) { o.connect_timeout = {}; }, "connect timeout"},
      {"tiny queue", [](options& o) { o.outgoing_queue_limit = 1; }, "outgoing queue"},
      {"tiny messages", [](options& o) { o.message_limit = 10; }, "message limit"},
  };
  for (const auto& each : rows) {
    SCOPED_TRACE(each.what);
    auto settings = good();
    each.change(settings);
    const auto problem = check(settings);
    ASSERT_TRUE(problem);
    EXPECT_NE(problem->find(each.reason_contains), std::string::npos) << *problem;
  }
}

}  // namespace
}  // namespace luot::device
