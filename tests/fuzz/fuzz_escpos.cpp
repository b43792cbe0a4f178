// The ESC/POS encoder's inputs: a ticket's 1-bit raster (any dots), where
// the printer draws the QR code and what it holds, the band height and the
// cut; and the status bytes a printer answers to DLE EOT. The print job is
// parsed back: it must be exactly reset, centre, raster bands, the QR code
// where asked, the raster below it, feed-and-cut; the dots printed must be
// the ticket's (real-time command sequences broken by one added dot, never
// more), and no band may hold a DLE EOT / DLE ENQ / DLE DC4 sequence, which
// a printer would act on in the middle of the picture.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "printer/escpos.hpp"
#include "printer/printer_status.hpp"
#include "printer/ticket_encoding.hpp"

namespace {

using namespace luot::printer;

[[noreturn]] void fail(const char* what, std::size_t at) {
  std::fprintf(stderr, "fuzz_escpos: %s (at byte %zu of the job)\n", what, at);
  std::abort();
}

// Reads the fuzz input front to back; past the end it gives zeros.
struct input {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t at = 0;

  std::uint8_t byte() { return at < size ? data[at++] : 0; }
  int word() { return byte() | (byte() << 8); }
  std::size_t left() const { return size - at; }
};

bool is_real_time(std::uint8_t first, std::uint8_t second) {
  return first == 0x10 && (second == 0x04 || second == 0x05 || second == 0x14);
}

// The parts of a job that the checks compare with the ticket.
struct parsed_job {
  std::vector<std::uint8_t> raster_above;  // bands before the QR code (or all)
  std::vector<std::uint8_t> raster_below;  // bands after it
  bool has_qr = false;
  std::string qr_data;
  int qr_module = 0;
  bool cut_full = false;
  int max_band_rows = 0;
};

parsed_job parse(const std::vector<std::uint8_t>& job, int stride) {
  parsed_job parsed;
  std::size_t at = 0;
  auto need = [&](std::size_t count) {
    if (job.size() - at < count) fail("the job ends inside a command", at);
  };
  auto expect = [&](std::initializer_list<std::uint8_t> bytes) {
    need(bytes.size());
    for (const auto value : bytes)
      if (job[at++] != value) fail("unexpected byte", at - 1);
  };
  expect({0x1B, '@', 0x1B, 'a', 1});
  while (true) {
    need(2);
    if (job[at] != 0x1D) fail("not a GS command", at);
    const auto command = job[at + 1];
    if (command == 'v') {
      expect({0x1D, 'v', '0', 0});
      need(4);
      const int width = job[at] | (job[at + 1] << 8);
      const int rows = job[at + 2] | (job[at + 3] << 8);
      at += 4;
      if (width != stride) fail("band width is not the raster's", at);
      if (rows < 1) fail("an empty band", at);
      parsed.max_band_rows = std::max(parsed.max_band_rows, rows);
      const auto bytes = static_cast<std::size_t>(rows) * static_cast<std::size_t>(stride);
      need(bytes);
      for (std::size_t i = at; i + 1 < at + bytes; ++i)
        if (is_real_time(job[i], job[i + 1])) fail("a real-time command inside raster data", i);
      auto& into = parsed.has_qr ? parsed.raster_below : parsed.raster_above;
      into.insert(into.end(), job.begin() + static_cast<std::ptrdiff_t>(at),
                  job.begin() + static_cast<std::ptrdiff_t>(at + bytes));
      at += bytes;
    } else if (command == '(') {
      if (parsed.has_qr) fail("a second QR code", at);
      parsed.has_qr = true;
      expect({0x1D, '(', 'k', 4, 0, '1', 'A', '2', 0});
      expect({0x1D, '(', 'k', 3, 0, '1', 'C'});
      need(1);
      parsed.qr_module = job[at++];
      expect({0x1D, '(', 'k', 3, 0, '1', 'E', 49});
      expect({0x1D, '(', 'k'});
      need(2);
      const std::size_t stored = job[at] | (job[at + 1] << 8);
      at += 2;
      if (stored < 3) fail("QR store length below 3", at);
      expect({'1', 'P', '0'});
      need(stored - 3);
      parsed.qr_data.assign(job.begin() + static_cast<std::ptrdiff_t>(at),
                            job.begin() + static_cast<std::ptrdiff_t>(at + stored - 3));
      at += stored - 3;
      expect({0x1D, '(', 'k', 3, 0, '1', 'Q', '0'});
    } else if (command == 'V') {
      need(4);
      if (job[at + 2] != 65 && job[at + 2] != 66) fail("a cut without feeding", at);
      parsed.cut_full = job[at + 2] == 65;
      if (job[at + 3] != 0) fail("extra feed before the cut", at);
      at += 4;
      if (at != job.size()) fail("bytes after the cut", at);
      return parsed;
    } else {
      fail("an unknown GS command", at);
    }
  }
}

// Every printed byte is the ticket's, or the ticket's 0x10 with one more dot
// (0x30) where it began a real-time sequence.
void check_dots(const std::vector<std::uint8_t>& printed, const std::vector<std::uint8_t>& ticket) {
  if (printed.size() != ticket.size()) fail("the raster lost or gained rows", printed.size());
  for (std::size_t i = 0; i < ticket.size(); ++i) {
    if (printed[i] == ticket[i]) continue;
    if (ticket[i] == 0x10 && printed[i] == 0x30 && i + 1 < ticket.size() &&
        is_real_time(ticket[i], ticket[i + 1]))
      continue;
    fail("a dot changed that breaks no real-time command", i);
  }
}

void check_status_answers(input& in) {
  // What ask_status does with the four answers: each in turn, stopping at
  // the first byte that is not a status answer.
  status_flags flags;
  for (const auto query : all_status_queries) {
    const auto answer = in.byte();
    const auto before = flags;
    if (!apply_status_answer(query, answer, flags)) {
      if (!(flags == before)) fail("a non-status byte changed the flags", 0);
      if (is_status_byte(answer)) fail("a status byte was refused", 0);
      break;
    }
  }
  const auto status = classify(flags);
  if ((flags.paper_out || flags.paper_end_stop) && status != printer_status::paper_out)
    fail("paper out is not reported first", 0);
  if (status == printer_status::paper_out && can_print(status)) fail("prints without paper", 0);
  if (status_name(status).empty()) fail("a status without a name", 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  input in{data, size};
  check_status_answers(in);

  // The ticket: options, then the raster's dots.
  const auto options = in.byte();
  const int width = 1 + in.word() % 1024;  // dots; printers have 384 to 576
  const int band_rows = 1 + in.word() % 1024;
  const bool qr = (options & 1) != 0;
  const auto cut = (options & 2) != 0 ? cut_kind::full : cut_kind::partial;
  const int qr_row = static_cast<int>(in.word() % 2048);
  const int qr_module = 1 + in.byte() % 16;
  std::string qr_data(1 + in.byte(), 'x');
  for (auto& c : qr_data) c = static_cast<char>(in.byte());

  const int stride = (width + 7) / 8;
  const int height =
      static_cast<int>(std::min<std::size_t>(in.left() / static_cast<std::size_t>(stride), 4096));
  ticket_image ticket;
  ticket.raster = monochrome_image(width, height);
  std::copy_n(data + in.at, ticket.raster.bits().size(), ticket.raster.bits().begin());
  if (qr) {
    ticket.qr_row = qr_row;
    ticket.qr_data = qr_data;
    ticket.qr_module_dots = qr_module;
  }

  const auto job = encode_ticket(ticket, {.cut = cut, .band_rows = band_rows});
  const auto parsed = parse(job, stride);

  if (parsed.has_qr != qr) fail("the QR code is missing or unasked for", 0);
  if (parsed.max_band_rows > band_rows) fail("a band taller than asked", 0);
  if (parsed.cut_full != (cut == cut_kind::full)) fail("the wrong cut", 0);
  const auto& dots = ticket.raster.bits();
  if (qr) {
    if (parsed.qr_data != qr_data || parsed.qr_module != qr_module) fail("the QR code changed", 0);
    const auto split =
        static_cast<std::size_t>(std::clamp(qr_row, 0, height)) * static_cast<std::size_t>(stride);
    check_dots(parsed.raster_above,
               {dots.begin(), dots.begin() + static_cast<std::ptrdiff_t>(split)});
    check_dots(parsed.raster_below,
               {dots.begin() + static_cast<std::ptrdiff_t>(split), dots.end()});
  } else {
    check_dots(parsed.raster_above, dots);
  }
  return 0;
}
