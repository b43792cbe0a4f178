#include "kiosk/kiosk_window.hpp"

#include <spdlog/spdlog.h>

#include <stdexcept>
#include <thread>

#include "kiosk/kiosk_screen.hpp"
#include "ui/canvas.hpp"
#include "ui/image.hpp"
#include "ui/render_loop.hpp"

namespace luot::kiosk {

namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

// How long --screenshot waits for the server's view and the printer's
// first answer before it gives up.
constexpr auto screenshot_wait = 30s;

// Stops the service before the objects its handlers use go away, however
// the run ends.
class stop_on_exit {
 public:
  explicit stop_on_exit(kiosk_service& service) : service_(service) {}
  ~stop_on_exit() { service_.stop(); }
  stop_on_exit(const stop_on_exit&) = delete;
  stop_on_exit& operator=(const stop_on_exit&) = delete;

 private:
  kiosk_service& service_;
};

// The state is in once the view has arrived and the printer answered once.
void wait_for_state(const kiosk_service& service) {
  const auto deadline = steady::now() + screenshot_wait;
  if (!service.wait_for_view(screenshot_wait)) {
    throw std::runtime_error("no view from the server within 30 s");
  }
  while (service.state().printer_checks == 0) {
    if (steady::now() >= deadline)
      throw std::runtime_error("the printer was not asked within 30 s");
    std::this_thread::sleep_for(10ms);
  }
}

int take_screenshot(const kiosk_options& options, kiosk_service& service) {
  const stop_on_exit stopper(service);
  service.start();
  wait_for_state(service);
  ui::offscreen_canvas canvas(options.size.width, options.size.height);
  ui::font_library fonts;
  kiosk_screen screen(options, service, canvas.renderer(), fonts);
  screen.draw(canvas.output_size());
  if (const auto failed = ui::save_png(canvas.capture(), options.screenshot)) {
    throw std::runtime_error(*failed);
  }
  spdlog::info("{} page saved to {}", to_string(screen.model().current()),
               options.screenshot.string());
  return 0;
}

// The voice for the confirmation page: none unless --voice names one. A
// voice that cannot be made is a configuration error; a machine without
// sound still issues tickets, silently.
std::unique_ptr<number_speaker> make_speaker(const kiosk_options& options) {
  if (options.voice == "none") return nullptr;
  auto voice = speech::make_voice(options.voice, options.dialect);
  if (!voice) throw std::runtime_error("--voice " + options.voice + ": " + voice.error());
  try {
    return std::make_unique<number_speaker>(std::move(*voice), options.dialect);
  } catch (const std::exception& failure) {
    spdlog::error("numbers will not be spoken: {}", failure.what());
    return nullptr;
  }
}

}  // namespace

int run_window(const kiosk_options& options, kiosk_service& service) {
  if (options.mode == run_mode::screenshot) return take_screenshot(options, service);

  ui::video_session video;
  ui::window_settings settings;
  settings.title = "Luot – Cấp số thứ tự";
  settings.width = options.size.width;
  settings.height = options.size.height;
  settings.mode = options.window == window_mode::fullscreen ? ui::screen_mode::fullscreen
                                                            : ui::screen_mode::windowed;
  ui::window window(settings);
  ui::font_library fonts;
  kiosk_screen screen(options, service, window.renderer(), fonts);
  const auto speaker = make_speaker(options);
  screen.set_speaker(speaker.get());
  ui::render_loop loop;
  service.on_report([&](const press_report& report) {
    screen.take_report(report);
    loop.request_redraw();
  });
  service.on_change([&] { loop.request_redraw(); });
  const stop_on_exit stopper(service);
  service.start();

  ui::render_loop::hooks hooks;
  hooks.draw = [&] {
    screen.draw(window.output_size());
    window.present();
  };
  hooks.until_next_frame = [&]() -> std::optional<std::chrono::milliseconds> {
    return screen.until_next_frame();
  };
  hooks.on_event = [&](const SDL_Event& event) {
    if (event.type != SDL_FINGERDOWN && event.type != SDL_MOUSEBUTTONDOWN &&
        event.type != SDL_KEYDOWN) {
      return;
    }
    screen.handle(event, window.output_size());
    loop.request_redraw();
  };
  loop.run(hooks);
  return 0;
}

}  // namespace luot::kiosk
