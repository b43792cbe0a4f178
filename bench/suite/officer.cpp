#include "officer.hpp"

#include <google/protobuf/util/json_util.h>

#include <stdexcept>

#include "luot/v1/luot.pb.h"

namespace luot::bench {

namespace http = boost::beast::http;

const std::string_view officer_toml = R"(
[[staff]]
username = "lan"
display_name = "Nguyễn Thị Lan"
password_hash = "$argon2id$v=19$m=65536,t=2,p=1$fXrcrO+JHQWbyNyLs+f/1Q$o8HP/yes+7DXty+34DxzHSJAKVo8lFgNTQC1qxkIr7A"
counters = ["1"]

[[outcomes]]
code = "done"
name_vi = "Đã tiếp nhận"
name_en = "Received"
)";

http_request post_request(std::string_view target, std::string_view body, std::string_view token) {
  http_request request(http::verb::post, std::string(target), 11);
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + std::string(token));
  request.body() = std::string(body);
  request.prepare_payload();
  return request;
}

std::string sign_in_officer(std::uint16_t port) {
  http_connection connection(port);
  const auto status = connection.exchange(post_request(
      "/api/v1/sessions", R"({"username":"lan","password":"lan-2026","counter":"1"})"));
  v1::SessionInfo session;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (status / 100 != 2 ||
      !google::protobuf::util::JsonStringToMessage(connection.body(), &session, options).ok() ||
      session.token().empty()) {
    throw std::runtime_error("the officer could not sign in: " + connection.body());
  }
  return session.token();
}

std::uint64_t last_seq_of_result(const std::string& body) {
  v1::CommandResult result;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(body, &result, options).ok() ||
      result.seqs().empty()) {
    throw std::runtime_error("not a command result: " + body);
  }
  return result.seqs(result.seqs_size() - 1);
}

}  // namespace luot::bench
