// Golden screenshots of the kiosk's pages in portrait (1080×1920) and
// landscape (1920×1080), drawn by the software renderer on an offscreen
// canvas (the same pixels on every machine), compared with a small
// tolerance. LUOT_UPDATE_GOLDENS=1 rewrites them; look at them after.
#include <gtest/gtest.h>

#include <cstdlib>

#include "kiosk/screen_painter.hpp"
#include "ui/canvas.hpp"
#include "ui/image.hpp"

namespace luot::kiosk {
namespace {

using namespace std::chrono_literals;
using clock = screen_model::clock;

const std::filesystem::path golden_directory =
    std::filesystem::path(LUOT_DISPENSER_TEST_DIR) / "golden";

bool updating_goldens() {
  const char* update = std::getenv("LUOT_UPDATE_GOLDENS");
  return update != nullptr && std::string(update) == "1";
}

v1::Category category(const std::string& code, const std::string& vi, const std::string& en,
                      v1::CategoryStatus status, std::uint32_t waiting, std::uint32_t wait_minutes,
                      const std::string& note = {}) {
  v1::Category made;
  made.set_code(code);
  made.set_name_vi(vi);
  made.set_name_en(en);
  made.set_status(status);
  made.set_status_note(note);
  made.set_waiting_regular(waiting);
  made.set_estimated_wait_seconds(wait_minutes * 60);
  return made;
}

// The demo centre: three open fields, one closed for the day's hours, one
// closed by hand with the manager's note, one out of numbers.
v1::View demo_view() {
  v1::View view;
  view.set_centre_name("Bộ phận Một cửa – Sở Lao động – Thương binh và Xã hội");
  view.set_time_zone("Asia/Ho_Chi_Minh");
  *view.add_categories() = category("LDVL", "Lao động – Việc làm", "Labour and employment",
                                    v1::CATEGORY_STATUS_OPEN, 12, 35);
  *view.add_categories() = category("NCC", "Người có công", "People with meritorious service",
                                    v1::CATEGORY_STATUS_OPEN, 3, 14);
  *view.add_categories() = category("BTXH", "Bảo trợ xã hội", "Social protection",
                                    v1::CATEGORY_STATUS_CLOSED_OUTSIDE_HOURS, 0, 0);
  *view.add_categories() =
      category("GDNN", "Giáo dục nghề nghiệp", "Vocational education",
               v1::CATEGORY_STATUS_CLOSED_MANUALLY, 0, 0, "Cán bộ đi tập huấn");
  *view.add_categories() =
      category("TE", "Trẻ em", "Children", v1::CATEGORY_STATUS_CLOSED_LIMIT_REACHED, 0, 0);
  *view.add_categories() =
      category("TKQ", "Trả kết quả", "Collect results", v1::CATEGORY_STATUS_OPEN, 0, 0);
  const std::tuple<const char*, const char*, const char*> classes[] = {
      {"cao-tuoi", "Người cao tuổi", "Elderly person"},
      {"khuyet-tat", "Người khuyết tật", "Person with disability"},
      {"mang-thai", "Phụ nữ có thai", "Pregnant woman"},
      {"nguoi-co-cong", "Người có công với cách mạng",
       "Person with meritorious service to the revolution"},
      {"con-nho", "Người đi cùng trẻ em dưới 6 tuổi", "Person with a child under 6"},
  };
  for (const auto& [code, vi, en] : classes) {
    auto* known = view.add_priority_classes();
    known->set_code(code);
    known->set_name_vi(vi);
    known->set_name_en(en);
  }
  return view;
}

service_state healthy() {
  service_state state;
  state.link.state = device::connection_state::live;
  state.printer = printer::printer_status::ready;
  return state;
}

v1::Ticket issued_ticket(const std::string& priority_class) {
  v1::Ticket ticket;
  ticket.set_number("B017");
  ticket.set_category("NCC");
  ticket.set_priority_class(priority_class);
  ticket.set_people_ahead(3);
  ticket.set_estimated_wait_seconds(14 * 60);
  return ticket;
}

// 2026-11-23 09:41 in Hanoi.
const auto wall_clock = std::chrono::system_clock::time_point(std::chrono::seconds(1795401690));

class KioskScreen : public ::testing::TestWithParam<ui::size> {
 protected:
  ui::image draw(const screen_model& model, const service_state& state) {
    ui::offscreen_canvas canvas(GetParam().w, GetParam().h);
    ui::font_library fonts;
    screen_painter painter(canvas.renderer(), fonts);
    painter.draw(canvas.output_size(), {model, state, view_, "1900 1234", wall_clock});
    return canvas.capture();
  }

  void expect_golden(const ui::image& picture, const std::string& page_name) {
    const auto name = "kiosk_" + page_name + "_" + std::to_string(GetParam().w) + "x" +
                      std::to_string(GetParam().h);
    const auto golden_path = golden_directory / (name + ".png");
    if (updating_goldens()) {
      ASSERT_FALSE(ui::save_png(picture, golden_path)) << golden_path;
      return;
    }
    std::string error;
    const auto golden = ui::load_png(golden_path, &error);
    ASSERT_TRUE(golden) << error << "; run with LUOT_UPDATE_GOLDENS=1 to create it";
    const auto difference = ui::compare(picture, *golden, 16);
    ASSERT_TRUE(difference.same_size);
    // Anti-aliasing may move with a FreeType update; a changed word moves
    // thousands of pixels.
    const auto tolerance = static_cast<std::size_t>(picture.width * picture.height / 2000);
    if (difference.differing_pixels > tolerance) {
      const auto actual = std::filesystem::temp_directory_path() / (name + ".actual.png");
      ui::save_png(picture, actual);
      ADD_FAILURE() << difference.differing_pixels << " pixels differ from " << golden_path
                    << "; this run drew " << actual;
    }
  }

  v1::View view_ = demo_view();
  clock::time_point now_ = clock::time_point(1000s);
  kiosk_timing timing_;
};

TEST_P(KioskScreen, StartPage) {
  screen_model model(timing_, text::language::vi, now_);
  model.tick(healthy(), now_);
  ASSERT_EQ(model.current(), page::start);
  expect_golden(draw(model, healthy()), "start");
}

TEST_P(KioskScreen, StartPageInEnglish) {
  screen_model model(timing_, text::language::vi, now_);
  model.toggle_language(now_);
  model.tick(healthy(), now_);
  expect_golden(draw(model, healthy()), "start_en");
}

TEST_P(KioskScreen, PriorityPage) {
  screen_model model(timing_, text::language::vi, now_);
  model.choose_priority("nguoi-co-cong", now_);
  model.tick(healthy(), now_);
  ASSERT_EQ(model.current(), page::priority);
  expect_golden(draw(model, healthy()), "priority");
}

TEST_P(KioskScreen, ConfirmationPage) {
  screen_model model(timing_, text::language::vi, now_);
  model.pressed({1, {}}, "NCC", now_);
  press_report printed;
  printed.press_id = 1;
  printed.outcome = press_outcome::printed;
  printed.ticket = issued_ticket("cao-tuoi");
  model.reported(printed, now_);
  model.tick(healthy(), now_);
  ASSERT_EQ(model.current(), page::confirmation);
  expect_golden(draw(model, healthy()), "confirmation");
}

TEST_P(KioskScreen, OutOfPaperPage) {
  auto state = healthy();
  state.printer = printer::printer_status::paper_out;
  state.printer_message = {"Máy in hết giấy", "Printer is out of paper"};
  screen_model model(timing_, text::language::vi, now_);
  model.tick(state, now_);
  ASSERT_EQ(model.current(), page::out_of_service);
  expect_golden(draw(model, state), "paper_out");
}

TEST_P(KioskScreen, ReprintPendingPageShowsTheNumber) {
  auto state = healthy();
  state.phase = service_phase::waiting_for_printer;
  state.printer = printer::printer_status::paper_out;
  state.printer_message = {"Máy in hết giấy", "Printer is out of paper"};
  state.ticket = issued_ticket("");
  screen_model model(timing_, text::language::vi, now_);
  model.tick(state, now_);
  ASSERT_EQ(model.current_fault(), fault::reprint_pending);
  expect_golden(draw(model, state), "reprint");
}

TEST_P(KioskScreen, OfflinePage) {
  auto state = healthy();
  state.link.state = device::connection_state::disconnected;
  screen_model model(timing_, text::language::vi, now_);
  model.tick(state, now_ + 10s);
  ASSERT_EQ(model.current_fault(), fault::offline);
  expect_golden(draw(model, state), "offline");
}

TEST_P(KioskScreen, IdlePage) {
  screen_model model(timing_, text::language::vi, now_);
  model.tick(healthy(), now_ + timing_.idle);
  ASSERT_EQ(model.current(), page::idle);
  expect_golden(draw(model, healthy()), "idle");
}

INSTANTIATE_TEST_SUITE_P(BothOrientations, KioskScreen,
                         ::testing::Values(ui::size{1080, 1920}, ui::size{1920, 1080}),
                         [](const ::testing::TestParamInfo<ui::size>& screen) {
                           return screen.param.h > screen.param.w ? "Portrait" : "Landscape";
                         });

}  // namespace
}  // namespace luot::kiosk
