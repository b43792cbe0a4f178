#include "printer/file_backend.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "printer/descriptor_io.hpp"

namespace luot::printer {

file_backend::file_backend(printer_spec spec) : spec_(std::move(spec)) {}

file_backend::~file_backend() {
  close();
}

io_result file_backend::open() {
  close();
  descriptor_ = ::open(spec_.path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (descriptor_ < 0) {
    return {io_outcome::failed,
            "cannot open " + spec_.path + ": " + descriptor_io::system_error_text(errno)};
  }
  return {};
}

status_reading file_backend::query_status() {
  return {printer_status::unknown, "a file cannot report printer status"};
}

io_result file_backend::write(std::span<const std::uint8_t> bytes) {
  if (descriptor_ < 0) return {io_outcome::failed, "file not open"};
  auto result = descriptor_io::write_all(descriptor_, descriptor_io::descriptor_kind::device, bytes,
                                         std::chrono::milliseconds(0));
  // A print job that reached the file must survive a power cut like the
  // ticket it stands for.
  if (result.ok() && ::fdatasync(descriptor_) != 0) {
    return {io_outcome::failed,
            "cannot sync " + spec_.path + ": " + descriptor_io::system_error_text(errno)};
  }
  return result;
}

void file_backend::close() {
  if (descriptor_ >= 0) ::close(descriptor_);
  descriptor_ = -1;
}

}  // namespace luot::printer
