// Kiosk costs on this machine: drawing the start page on the software
// renderer (first frame with every line rasterized, then steady frames from
// the text cache), making a press durable (the journal's write + fsync +
// rename), and, given a server, a whole press: touch to printed ticket
// (journal, take-ticket over the WebSocket, drawing, encoding and writing
// the ticket to a file printer).
//
// Usage: bench_kiosk [iterations] [--server http://HOST:PORT --token KIOSK_TOKEN]
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "kiosk/kiosk_app.hpp"
#include "kiosk/kiosk_service.hpp"
#include "kiosk/press_journal.hpp"
#include "kiosk/screen_model.hpp"
#include "kiosk/screen_painter.hpp"
#include "ui/canvas.hpp"

namespace {

using namespace luot::kiosk;
using clock_type = std::chrono::steady_clock;

double micros(clock_type::duration elapsed) {
  return std::chrono::duration<double, std::micro>(elapsed).count();
}

void print_row(const char* what, std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  const auto at = [&](double share) {
    return samples[std::min(samples.size() - 1,
                            static_cast<std::size_t>(share * static_cast<double>(samples.size())))];
  };
  std::printf("%-44s %10.0f %10.0f %10.0f\n", what, at(0.5), at(0.95), samples.back());
}

luot::v1::View demo_view() {
  luot::v1::View view;
  view.set_centre_name("Bộ phận Một cửa – Sở Lao động – Thương binh và Xã hội");
  view.set_time_zone("Asia/Ho_Chi_Minh");
  const char* names[][2] = {
      {"LDVL", "Lao động – Việc làm"},  {"NCC", "Người có công"}, {"BTXH", "Bảo trợ xã hội"},
      {"GDNN", "Giáo dục nghề nghiệp"}, {"TE", "Trẻ em"},         {"TKQ", "Trả kết quả"}};
  for (const auto& [code, name] : names) {
    auto* category = view.add_categories();
    category->set_code(code);
    category->set_name_vi(name);
    category->set_status(luot::v1::CATEGORY_STATUS_OPEN);
    category->set_waiting_regular(12);
    category->set_estimated_wait_seconds(35 * 60);
  }
  const char* classes[] = {"Người cao tuổi", "Người khuyết tật", "Phụ nữ có thai",
                           "Người có công với cách mạng", "Người đi cùng trẻ em dưới 6 tuổi"};
  for (const char* name : classes) {
    auto* known = view.add_priority_classes();
    known->set_code(name);
    known->set_name_vi(name);
  }
  return view;
}

void bench_drawing(int iterations) {
  const auto view = demo_view();
  service_state state;
  state.link.state = luot::device::connection_state::live;
  state.printer = luot::printer::printer_status::ready;
  for (const auto size : {luot::ui::size{1080, 1920}, luot::ui::size{1920, 1080}}) {
    luot::ui::offscreen_canvas canvas(size.w, size.h);
    luot::ui::font_library fonts;
    screen_painter painter(canvas.renderer(), fonts);
    screen_model model({}, luot::text::language::vi, clock_type::now());
    model.tick(state, clock_type::now());
    std::vector<double> first;
    std::vector<double> steady;
    for (int i = 0; i < iterations; ++i) {
      const auto started = clock_type::now();
      painter.draw(size, {model, state, view, "1900 1234", std::chrono::system_clock::now()});
      (i == 0 ? first : steady).push_back(micros(clock_type::now() - started));
    }
    const std::string name = "start page " + std::to_string(size.w) + "x" + std::to_string(size.h);
    print_row((name + ", first frame (us)").c_str(), first);
    print_row((name + ", next frames (us)").c_str(), steady);
  }
}

void bench_journal(int iterations, const std::filesystem::path& directory) {
  press_journal journal(directory / "journal");
  pending_press press;
  press.request.set_category("LDVL");
  press.pressed_at = std::chrono::system_clock::now();
  std::vector<double> saves;
  for (int i = 0; i < iterations; ++i) {
    press.request.set_client_key(new_client_key());
    const auto started = clock_type::now();
    journal.save(press);
    saves.push_back(micros(clock_type::now() - started));
  }
  journal.clear();
  print_row("journal save: write+fsync+rename (us)", saves);
}

void bench_presses(int iterations, const std::string& server, const std::string& token,
                   const std::filesystem::path& directory) {
  kiosk_options options;
  options.server_url = server;
  options.public_url = server;
  options.token = token;
  options.printer = {
      luot::printer::printer_kind::file, (directory / "printed.bin").string(), {}, 0};
  options.state_directory = directory / "state";
  options.timing.printer_check = std::chrono::hours(1);
  kiosk_service service(options, make_printer(options));
  std::mutex mutex;
  std::condition_variable done;
  std::size_t reports = 0;
  service.on_report([&](const press_report&) {
    std::lock_guard lock(mutex);
    ++reports;
    done.notify_all();
  });
  service.start();
  if (!service.wait_for_view(std::chrono::seconds(10))) {
    std::printf("no view from %s within 10 s\n", server.c_str());
    service.stop();
    return;
  }
  const auto view = service.view();
  std::vector<double> presses;
  for (int i = 0; i < iterations; ++i) {
    const auto& category = view.categories(i % view.categories_size()).code();
    const auto started = clock_type::now();
    const auto receipt = service.press(category, "", luot::text::language::vi);
    if (!receipt.accepted()) {
      std::printf("press refused: %s\n", receipt.refusal.en.c_str());
      break;
    }
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return reports == static_cast<std::size_t>(i + 1); });
    presses.push_back(micros(clock_type::now() - started));
  }
  service.stop();
  if (!presses.empty()) print_row("press to printed ticket, file printer (us)", presses);
}

}  // namespace

int main(int argc, char** argv) {
  int iterations = 50;
  std::string server;
  std::string token;
  for (int i = 1; i < argc; ++i) {
    const std::string argument = argv[i];
    if (argument == "--server" && i + 1 < argc) {
      server = argv[++i];
    } else if (argument == "--token" && i + 1 < argc) {
      token = argv[++i];
    } else {
      iterations = std::max(2, std::atoi(argv[i]));
    }
  }
  const auto directory = std::filesystem::temp_directory_path() / "luot-bench-kiosk";
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  std::printf("%-44s %10s %10s %10s\n", "", "p50", "p95", "max");
  bench_drawing(iterations);
  bench_journal(iterations, directory);
  if (!server.empty()) bench_presses(iterations, server, token, directory);
  std::filesystem::remove_all(directory);
  return 0;
}
