// The press journal: what makes one press one number across lost replies
// and restarts.
#include "kiosk/press_journal.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "../server/support.hpp"

namespace luot::kiosk {
namespace {

using luot::testing::temp_dir;

pending_press sample_press() {
  pending_press press;
  press.request.set_category("NCC");
  press.request.set_priority_class("cao-tuoi");
  press.request.set_client_key(new_client_key());
  press.pressed_at =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(1'790'000'123'456));
  press.language = text::language::en;
  return press;
}

TEST(PressJournal, KeepsAPressAcrossInstances) {
  temp_dir dir;
  const auto press = sample_press();
  press_journal(dir.path()).save(press);
  const auto loaded = press_journal(dir.path()).load();
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->request.SerializeAsString(), press.request.SerializeAsString());
  EXPECT_EQ(loaded->pressed_at, press.pressed_at);
  EXPECT_EQ(loaded->language, text::language::en);
  EXPECT_FALSE(loaded->ticket);
}

TEST(PressJournal, KeepsTheIssuedTicketWithItsToken) {
  temp_dir dir;
  press_journal journal(dir.path());
  auto press = sample_press();
  journal.save(press);
  v1::Ticket ticket;
  ticket.set_number("B012");
  ticket.set_category("NCC");
  ticket.set_status_token("0123abcd");
  ticket.set_people_ahead(4);
  ticket.mutable_issued_at()->set_seconds(1'790'000'000);
  press.ticket = ticket;
  journal.save(press);
  const auto loaded = journal.load();
  ASSERT_TRUE(loaded && loaded->ticket);
  EXPECT_EQ(loaded->ticket->SerializeAsString(), ticket.SerializeAsString());
  // Replaced, not appended: one file, and no temporary left behind.
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "press.new"));
}

TEST(PressJournal, ClearRemovesThePress) {
  temp_dir dir;
  press_journal journal(dir.path());
  journal.save(sample_press());
  journal.clear();
  EXPECT_FALSE(journal.load());
  journal.clear();  // nothing to clear is fine
  EXPECT_FALSE(std::filesystem::exists(journal.file()));
}

TEST(PressJournal, MovesAnUnreadableFileAsideAndSaysSo) {
  const std::string cases[] = {
      "",
      "luot-kiosk-press 2\n",
      "luot-kiosk-press 1\npressed_at 12\n",  // no request
      "luot-kiosk-press 1\npressed_at x\nrequest {\"category\":\"A\",\"clientKey\":\"k\"}\n",
      "luot-kiosk-press 1\npressed_at 12\nrequest {\"category\":\"A\"}\n",  // no key
      "luot-kiosk-press 1\npressed_at 12\nrequest {\"category\":\"A\",\"clientKey\":\"k\"}\n"
      "ticket {not json}\n",
  };
  for (const auto& text : cases) {
    SCOPED_TRACE(text);
    temp_dir dir;
    press_journal journal(dir.path());
    std::ofstream(journal.file()) << text;
    std::string problem;
    EXPECT_FALSE(journal.load(&problem));
    EXPECT_NE(problem.find("press.corrupt"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "press.corrupt"));
    EXPECT_FALSE(std::filesystem::exists(journal.file()));
  }
}

TEST(PressJournal, RefusesToSaveWhereItCannotWrite) {
  temp_dir dir;
  press_journal journal(dir.path() / "state");
  std::filesystem::remove_all(dir.path() / "state");
  // A file where the directory was: nothing can be written under it.
  std::ofstream(dir.path() / "state") << "x";
  EXPECT_THROW(journal.save(sample_press()), std::runtime_error);
}

TEST(PressJournal, KeysAreFreshPerPress) {
  std::set<std::string> keys;
  for (int i = 0; i < 1000; ++i) {
    const auto key = new_client_key();
    EXPECT_EQ(key.size(), 6u + 32u);
    EXPECT_TRUE(key.starts_with("kiosk-"));
    keys.insert(key);
  }
  EXPECT_EQ(keys.size(), 1000u);
}

}  // namespace
}  // namespace luot::kiosk
