#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace luot::display {

// The seq of the last call this display said (or chose not to say), kept in
// DIR/last-announced-seq so that a restart of the display never says a call
// again. Written to a temporary file and renamed, so a power cut leaves the
// old value or the new one, never half a number.
class announced_seq_file {
 public:
  explicit announced_seq_file(std::filesystem::path directory);

  // Nothing when there is no file yet; an unreadable file is logged and
  // counts as none (the display then says at most the last minute's calls).
  std::optional<std::uint64_t> load() const;
  // Failures are logged, never thrown: the voice matters more than the file.
  void store(std::uint64_t seq);

  const std::filesystem::path& path() const { return file_; }

 private:
  std::filesystem::path directory_;
  std::filesystem::path file_;
};

}  // namespace luot::display
