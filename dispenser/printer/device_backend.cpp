#include "printer/device_backend.hpp"

#include <fcntl.h>
#include <linux/lp.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>

#include "printer/descriptor_io.hpp"

namespace luot::printer {

namespace {

// The IEEE 1284 port status usblp reports: what a unidirectional printer
// still tells about itself.
std::optional<printer_status> port_status(int descriptor) {
  int status = 0;
  if (::ioctl(descriptor, LPGETSTATUS, &status) != 0) return std::nullopt;
  if ((status & LP_POUTPA) != 0) return printer_status::paper_out;
  if ((status & LP_PSELECD) == 0) return printer_status::offline;
  if ((status & LP_PERRORP) == 0) return printer_status::printer_error;
  return printer_status::ready;
}

}  // namespace

device_backend::device_backend(printer_spec spec, backend_timeouts timeouts)
    : spec_(std::move(spec)), timeouts_(timeouts) {}

device_backend::~device_backend() {
  close();
}

io_result device_backend::open() {
  close();
  // Non-blocking: usblp blocks a write while the printer is out of paper,
  // and the kiosk must not hang on it.
  descriptor_ = ::open(spec_.path.c_str(), O_RDWR | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (descriptor_ < 0 && (errno == EACCES || errno == EPERM)) {
    descriptor_ = ::open(spec_.path.c_str(), O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  }
  if (descriptor_ < 0) {
    return {io_outcome::unreachable,
            "cannot open " + spec_.path + ": " + descriptor_io::system_error_text(errno)};
  }
  if (::isatty(descriptor_) != 0) {
    termios settings{};
    if (::tcgetattr(descriptor_, &settings) == 0) {
      ::cfmakeraw(&settings);
      ::tcsetattr(descriptor_, TCSANOW, &settings);
    }
  }
  return {};
}

status_reading device_backend::query_status() {
  if (descriptor_ < 0) return {printer_status::offline, "device not open"};
  std::string detail;
  if (const auto flags = descriptor_io::ask_status(
          descriptor_, descriptor_io::descriptor_kind::device, timeouts_.answer, detail)) {
    return {classify(*flags), detail};
  }
  if (const auto status = port_status(descriptor_)) {
    return {*status, detail + "; port status"};
  }
  return {printer_status::unknown, detail + "; the device does not report status"};
}

io_result device_backend::write(std::span<const std::uint8_t> bytes) {
  if (descriptor_ < 0) return {io_outcome::failed, "device not open"};
  return descriptor_io::write_all(descriptor_, descriptor_io::descriptor_kind::device, bytes,
                                  timeouts_.write);
}

void device_backend::close() {
  if (descriptor_ >= 0) ::close(descriptor_);
  descriptor_ = -1;
}

}  // namespace luot::printer
