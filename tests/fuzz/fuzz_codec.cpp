// The WebSocket message decoder as the server runs it: the first input byte
// picks the encoding (even: binary protobuf, odd: JSON), the rest is one
// ClientMessage frame. A decoded message must survive a round trip through
// its own encoding, and a command goes on as the session sends it: through
// the role rules and rate limits of submit_command onto a real engine.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz_backend.hpp"
#include "net/api/router.hpp"
#include "net/codec.hpp"
#include "net/rate_limiter.hpp"

namespace {

void fail_if(bool broken, const char* what) {
  if (!broken) return;
  __builtin_fprintf(stderr, "fuzz_codec: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace luot;
  if (size == 0) return 0;
  const auto format = (data[0] & 1) != 0 ? net::encoding::json : net::encoding::binary;
  const std::string_view frame(reinterpret_cast<const char*>(data + 1), size - 1);

  v1::ClientMessage message;
  if (net::decode(frame, format, message)) return 0;

  // Round trip: what the server reads back from its own rendering is the same
  // message.
  v1::ClientMessage again;
  if (format == net::encoding::json) {
    fail_if(net::from_json(net::to_json(message), again).has_value(),
            "a decoded message's JSON does not decode");
  } else {
    fail_if(net::decode(message.SerializeAsString(), format, again).has_value(),
            "a decoded message's binary form does not decode");
  }
  fail_if(again.SerializeAsString() != message.SerializeAsString(),
          "the round trip changed the message");

  if (message.body_case() != v1::ClientMessage::kCommand) return 0;
  // The command as an anonymous browser and as a signed-in manager at
  // counter 1 would send it.
  static const auto& settings = fuzz::demo_settings();
  for (const bool staff : {false, true}) {
    fuzz::fake_backend services(settings);
    net::rate_limiter limiter(1000);
    net::principal who;
    if (staff) {
      who.kind = net::principal_kind::staff;
      who.name = settings.staff.empty() ? "fuzz" : settings.staff.front().username;
      who.staff_role = config::role::manager;
      who.counter = "1";
    }
    bool answered = false;
    net::api::submit_command(services, limiter, who, "192.0.2.1", message.command(),
                             [&](const core::result<v1::CommandResult>&) { answered = true; });
    fail_if(!answered, "a command was never answered");
  }
  return 0;
}
