#include "printer/backend.hpp"

#include "printer/device_backend.hpp"
#include "printer/file_backend.hpp"
#include "printer/tcp_backend.hpp"

namespace luot::printer {

std::unique_ptr<printer_backend> make_backend(const printer_spec& spec,
                                              const backend_timeouts& timeouts) {
  switch (spec.kind) {
    case printer_kind::file:
      return std::make_unique<file_backend>(spec);
    case printer_kind::device:
      return std::make_unique<device_backend>(spec, timeouts);
    case printer_kind::tcp:
      return std::make_unique<tcp_backend>(spec, timeouts);
  }
  return nullptr;
}

}  // namespace luot::printer
