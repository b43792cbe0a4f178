// What the kiosk prints for an issued ticket.
#include "kiosk/ticket_details.hpp"

#include <gtest/gtest.h>

namespace luot::kiosk {
namespace {

v1::View sample_view() {
  v1::View view;
  view.set_centre_name("Bộ phận Một cửa");
  view.set_time_zone("Asia/Ho_Chi_Minh");
  auto* category = view.add_categories();
  category->set_code("NCC");
  category->set_name_vi("Người có công");
  category->set_name_en("People with meritorious service");
  auto* priority = view.add_priority_classes();
  priority->set_code("cao-tuoi");
  priority->set_name_vi("Người cao tuổi");
  priority->set_name_en("Elderly person");
  return view;
}

v1::Ticket sample_ticket() {
  v1::Ticket ticket;
  ticket.set_number("B012");
  ticket.set_category("NCC");
  ticket.set_priority_class("cao-tuoi");
  ticket.set_people_ahead(7);
  ticket.set_estimated_wait_seconds(840);
  ticket.set_status_token("abc123");
  // 2026-11-23 02:41:30 UTC = 09:41 in Hanoi.
  ticket.mutable_issued_at()->set_seconds(1795401690);
  return ticket;
}

TEST(TicketDetails, FillsTheTicketFromTheServerAndTheView) {
  ticket_extras extras{"https://luot.example.vn/", "1900 1234", {{"NCC", {"Căn cước công dân"}}}};
  const auto content =
      make_ticket_content(sample_ticket(), sample_view(), extras, text::language::vi);
  EXPECT_EQ(content.centre_name, "Bộ phận Một cửa");
  EXPECT_EQ(content.category_name, "Người có công");
  EXPECT_EQ(content.number, "B012");
  EXPECT_EQ(content.priority_label, "Người cao tuổi");
  EXPECT_EQ(content.issued_at, "23/11/2026 09:41");
  EXPECT_EQ(content.people_ahead, 7u);
  EXPECT_EQ(content.estimated_wait_seconds, 840u);
  EXPECT_EQ(content.status_url, "https://luot.example.vn/t/abc123");
  EXPECT_EQ(content.hotline, "1900 1234");
  EXPECT_EQ(content.documents, (std::vector<std::string>{"Căn cước công dân"}));
  EXPECT_EQ(content.language, text::language::vi);
}

TEST(TicketDetails, EnglishNamesAndNoDocumentsWhereNoneAreListed) {
  ticket_extras extras{"http://10.0.0.2:8080", "", {{"LDVL", {"x"}}}};
  const auto content =
      make_ticket_content(sample_ticket(), sample_view(), extras, text::language::en);
  EXPECT_EQ(content.category_name, "People with meritorious service");
  EXPECT_EQ(content.priority_label, "Elderly person");
  EXPECT_TRUE(content.documents.empty());
  EXPECT_EQ(content.hotline, "");
}

TEST(TicketDetails, UnknownNamesFallBackToCodes) {
  auto ticket = sample_ticket();
  ticket.set_category("TKQ");
  ticket.set_priority_class("mang-thai");
  const auto content = make_ticket_content(ticket, v1::View{}, {}, text::language::vi);
  EXPECT_EQ(content.category_name, "TKQ");
  EXPECT_EQ(content.priority_label, "mang-thai");
  EXPECT_EQ(content.centre_name, "");
  // No zone in the view: Luot's default zone.
  EXPECT_EQ(content.issued_at, "23/11/2026 09:41");
}

TEST(TicketDetails, TimesAreLocalToTheCentre) {
  google::protobuf::Timestamp moment;
  moment.set_seconds(1795401690);
  const std::pair<std::string, std::string> cases[] = {
      {"Asia/Ho_Chi_Minh", "23/11/2026 09:41"},
      {"UTC", "23/11/2026 02:41"},
      {"Asia/Tokyo", "23/11/2026 11:41"},
      {"Not/AZone", "23/11/2026 09:41"},
  };
  for (const auto& [zone, expected] : cases) {
    SCOPED_TRACE(zone);
    EXPECT_EQ(local_time_text(moment, zone), expected);
  }
}

TEST(TicketDetails, StatusUrlJoinsWithOneSlash) {
  EXPECT_EQ(status_url("http://a:1", "tok"), "http://a:1/t/tok");
  EXPECT_EQ(status_url("http://a:1//", "tok"), "http://a:1/t/tok");
}

}  // namespace
}  // namespace luot::kiosk
