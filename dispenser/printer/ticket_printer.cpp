#include "printer/ticket_printer.hpp"

#include <exception>

namespace luot::printer {

namespace {

print_outcome outcome_of(printer_status status) {
  switch (status) {
    case printer_status::paper_out:
      return print_outcome::paper_out;
    case printer_status::cover_open:
      return print_outcome::cover_open;
    case printer_status::printer_error:
      return print_outcome::printer_error;
    case printer_status::offline:
      return print_outcome::offline;
    case printer_status::ready:
    case printer_status::paper_near_end:
    case printer_status::unknown:
      break;
  }
  return print_outcome::printed;
}

// Closes the backend however the job ends.
class job_guard {
 public:
  explicit job_guard(printer_backend& backend) : backend_(backend) {}
  ~job_guard() { backend_.close(); }
  job_guard(const job_guard&) = delete;
  job_guard& operator=(const job_guard&) = delete;

 private:
  printer_backend& backend_;
};

}  // namespace

std::string_view outcome_name(print_outcome outcome) {
  switch (outcome) {
    case print_outcome::printed:
      return "printed";
    case print_outcome::paper_out:
      return "paper_out";
    case print_outcome::cover_open:
      return "cover_open";
    case print_outcome::printer_error:
      return "printer_error";
    case print_outcome::offline:
      return "offline";
    case print_outcome::write_failed:
      return "write_failed";
    case print_outcome::render_failed:
      return "render_failed";
  }
  return "write_failed";
}

std::string print_report::message(text::language lang) const {
  switch (outcome) {
    case print_outcome::printed:
      return std::string(text::lookup(lang, "printer.outcome.printed"));
    case print_outcome::paper_out:
      return status_text(lang, printer_status::paper_out);
    case print_outcome::cover_open:
      return status_text(lang, printer_status::cover_open);
    case print_outcome::printer_error:
      return status_text(lang, printer_status::printer_error);
    case print_outcome::offline:
      return status_text(lang, printer_status::offline);
    case print_outcome::write_failed:
      return std::string(text::lookup(lang, "printer.outcome.write_failed"));
    case print_outcome::render_failed:
      return std::string(text::lookup(lang, "printer.outcome.render_failed"));
  }
  return {};
}

ticket_printer::ticket_printer(std::unique_ptr<printer_backend> backend, layout_options layout,
                               encoding_options encoding)
    : backend_(std::move(backend)), layout_(std::move(layout)), encoding_(encoding) {}

status_reading ticket_printer::check() {
  const auto opened = backend_->open();
  if (opened.outcome == io_outcome::unreachable) return {printer_status::offline, opened.detail};
  job_guard guard(*backend_);
  if (!opened.ok()) return {printer_status::unknown, opened.detail};
  return backend_->query_status();
}

print_report ticket_printer::print(const ticket_content& content) {
  const auto opened = backend_->open();
  if (!opened.ok()) {
    if (opened.outcome == io_outcome::unreachable) {
      return {print_outcome::offline, printer_status::offline, opened.detail};
    }
    return {print_outcome::write_failed, printer_status::unknown, opened.detail};
  }
  job_guard guard(*backend_);

  const auto before = backend_->query_status();
  if (!can_print(before.status)) {
    return {outcome_of(before.status), before.status, "before printing: " + before.detail};
  }

  std::vector<std::uint8_t> job;
  try {
    job = encode_ticket(layout_.draw(content), encoding_);
  } catch (const std::exception& failure) {
    return {print_outcome::render_failed, before.status, failure.what()};
  }

  const auto written = backend_->write(job);
  if (!written.ok()) {
    const auto outcome = written.outcome == io_outcome::unreachable ? print_outcome::offline
                                                                    : print_outcome::write_failed;
    return {outcome, before.status, written.detail};
  }

  // Paper running out or the cover opened during the job leaves a partial
  // ticket: report it so the kiosk reprints the same number.
  const auto after = backend_->query_status();
  if (after.status != printer_status::unknown && after.status != printer_status::offline &&
      !can_print(after.status)) {
    return {outcome_of(after.status), after.status, "after printing: " + after.detail};
  }
  const auto status = after.status == printer_status::unknown ? before.status : after.status;
  return {print_outcome::printed, status, std::to_string(job.size()) + " bytes; " + after.detail};
}

}  // namespace luot::printer
