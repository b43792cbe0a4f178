#include "kiosk/headless_box.hpp"

#include <chrono>
#include <sstream>

namespace luot::kiosk {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

parsed_line parse_box_line(std::string_view line, const std::vector<key_binding>& keys) {
  line = trim(line);
  if (line.empty()) return blank_line{};
  for (const auto& binding : keys) {
    if (binding.key == line) return box_request{binding.category, binding.priority_class};
  }
  std::istringstream words{std::string(line)};
  std::vector<std::string> parts;
  for (std::string word; words >> word;) parts.push_back(word);
  if (parts.size() > 2) {
    return bad_line{"expected CODE or CODE PRIORITY_CLASS, got \"" + std::string(line) + "\""};
  }
  return box_request{parts[0], parts.size() == 2 ? parts[1] : std::string()};
}

headless_box::headless_box(kiosk_service& service, text::language lang,
                           std::vector<key_binding> keys, std::ostream& tickets,
                           std::ostream& messages)
    : service_(service),
      language_(lang),
      keys_(std::move(keys)),
      tickets_(tickets),
      messages_(messages) {}

void headless_box::handle(const press_report& report) {
  std::lock_guard lock(mutex_);
  switch (report.outcome) {
    case press_outcome::printed: {
      std::string line = report.ticket->number() + " " + report.category + " " + report.status_url;
      if (!report.priority_class.empty()) line += " " + report.priority_class;
      tickets_ << line << std::endl;
      if (report.reprinted) {
        messages_ << "reprinted " << report.ticket->number() << " " << report.category << std::endl;
      }
      break;
    }
    case press_outcome::refused:
      messages_ << "refused " << report.category << ": " << report.reason.in(language_)
                << std::endl;
      break;
    case press_outcome::server_silent:
      messages_ << "waiting " << report.category << ": " << report.reason.in(language_)
                << std::endl;
      break;
    case press_outcome::print_failed:
      messages_ << "not printed " << report.ticket->number() << " " << report.category << ": "
                << report.reason.in(language_) << std::endl;
      break;
  }
  if (report.press_id != 0) {
    answers_.try_emplace(report.press_id, report);
    reported_.notify_all();
  }
}

void headless_box::say(const std::string& line) {
  std::lock_guard lock(mutex_);
  messages_ << line << std::endl;
}

std::optional<press_report> headless_box::press_and_wait(const box_request& request) {
  const auto receipt = service_.press(request.category, request.priority_class, language_);
  std::unique_lock lock(mutex_);
  if (!receipt.accepted()) {
    messages_ << "refused " << request.category << ": " << receipt.refusal.in(language_)
              << std::endl;
    return std::nullopt;
  }
  reported_.wait(lock, [&] { return answers_.contains(receipt.id); });
  auto answer = answers_.at(receipt.id);
  answers_.clear();
  return answer;
}

int headless_box::run(std::istream& input) {
  // Presses before the first view would only be refused as offline.
  if (service_.wait_for_view(std::chrono::seconds(30))) {
    say("ready");
  } else {
    say("the server does not answer yet; presses are refused until it does");
  }
  for (std::string line; std::getline(input, line);) {
    const auto parsed = parse_box_line(line, keys_);
    if (std::holds_alternative<blank_line>(parsed)) continue;
    if (const auto* bad = std::get_if<bad_line>(&parsed)) {
      say("refused: " + bad->reason);
      continue;
    }
    press_and_wait(std::get<box_request>(parsed));
  }
  return 0;
}

}  // namespace luot::kiosk
