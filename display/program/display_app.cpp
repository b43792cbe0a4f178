#include "program/display_app.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "board/board_painter.hpp"
#include "device/device_client.hpp"
#include "program/call_announcer.hpp"
#include "speech/announcement.hpp"
#include "ui/render_loop.hpp"

namespace luot::display {

namespace {

using std::chrono::system_clock;

device::options client_options(const display_options& options) {
  device::options settings;
  settings.server_url = options.server_url;
  settings.ca_file = options.ca_file;
  settings.token = options.token;
  settings.client_name = "luot-display 0.1";
  settings.counters = options.zone;
  return settings;
}

// What the board is made from right now.
board_content current_board(const display_options& options, const device::device_client& client,
                            const std::optional<heard_call>& heard, system_clock::time_point now) {
  const v1::View view = client.view();
  const bool has_view = client.has_view();
  const device::link_status status = client.status();
  board_inputs inputs;
  inputs.view = has_view ? &view : nullptr;
  inputs.live = status.state == device::connection_state::live;
  inputs.stale_since = status.stale_since;
  inputs.now = now;
  if (heard) {
    inputs.newest_call_heard_at = heard->at;
    inputs.newest_call_heard_seq = heard->seq;
  }
  inputs.language = options.language;
  inputs.layout = options.layout;
  inputs.counter_id = options.counter_id;
  inputs.recent_count = options.recent_calls;
  inputs.highlight_for = options.highlight_for;
  inputs.ticker = options.ticker;
  return build_board(inputs);
}

// The frame as drawn, replaced whole (written aside, then renamed) so a
// reader never sees half a file.
void save_frame(SDL_Renderer* renderer, const std::filesystem::path& file) {
  auto partial = file;
  partial += ".part";
  if (const auto error = ui::save_png(ui::capture(renderer), partial)) {
    spdlog::error("{}", *error);
    return;
  }
  std::error_code failed;
  std::filesystem::rename(partial, file, failed);
  if (failed) spdlog::error("cannot replace {}: {}", file.string(), failed.message());
}

// One line per frame at debug level: what the screen shows, for technicians
// and the tests.
void describe(const board_content& board, std::uint64_t seq) {
  spdlog::debug("frame seq={} newest={} counter={} highlighted={} banner={}", seq,
                board.newest ? board.newest->number : "-",
                board.newest ? board.newest->counter : "-", board.newest_highlighted,
                board.banner ? board.banner->headline : "-");
}

int print_announcement(const display_options& options) {
  const auto sentence = speech::announcement_sentence(options.announce_number,
                                                      options.announce_counter, options.reading);
  if (!sentence) {
    std::cerr << "luot-display: " << sentence.error() << "\n";
    return 2;
  }
  std::cout << *sentence << "\n";
  return 0;
}

int screenshot(const display_options& options) {
  device::device_client client(client_options(options));
  client.start();
  if (!client.wait_for(device::connection_state::live, options.screenshot_timeout)) {
    const auto status = client.status();
    client.stop();
    std::cerr << "luot-display: "
              << text::format(options.language, "display.cli.no_state",
                              {std::to_string(options.screenshot_timeout.count()), status.reason})
              << "\n";
    return 1;
  }
  const auto board = current_board(options, client, std::nullopt, system_clock::now());
  client.stop();
  const auto size = default_size(options);
  ui::offscreen_canvas canvas(size.w, size.h);
  ui::font_library fonts;
  board_painter painter(canvas.renderer(), fonts, ui::hall_theme());
  painter.paint(board, canvas.output_size());
  if (const auto error = ui::save_png(canvas.capture(), options.screenshot)) {
    std::cerr << "luot-display: " << *error << "\n";
    return 1;
  }
  spdlog::info("screenshot of seq {} saved to {}", client.seq(), options.screenshot.string());
  return 0;
}

int live_board(const display_options& options) {
  // The voice is checked before anything else: a wrong clips directory is
  // a configuration error, said at once.
  auto speaker = speech::make_voice(options.voice, options.reading.dialect);
  if (!speaker) {
    std::cerr << "luot-display: "
              << text::format(options.language, "display.cli.bad_voice", {speaker.error()}) << "\n";
    return 2;
  }
  call_announcer::settings speech_settings;
  speech_settings.speech.audio = options.audio;
  speech_settings.speech.style = options.reading;
  speech_settings.speech.repetitions = options.repetitions;
  speech_settings.speech.audio_device = options.audio_device;
  speech_settings.announce_within = options.announce_within;
  speech_settings.screen_language = options.language;
  call_announcer announcements(speech_settings, std::move(speaker.value()),
                               announced_seq_file(options.state_dir));

  ui::video_session video;
  const auto size = default_size(options);
  ui::window window({"Luot", size.w, size.h, options.screen, options.renderer});
  SDL_RendererInfo renderer{};
  SDL_GetRendererInfo(window.renderer(), &renderer);
  spdlog::info("video driver {}, renderer {}{}", SDL_GetCurrentVideoDriver(), renderer.name,
               (renderer.flags & SDL_RENDERER_PRESENTVSYNC) != 0 ? " (vsync)" : "");
  ui::font_library fonts;
  spdlog::info("fonts: {} (bold {})", fonts.primary_file(ui::font_weight::regular),
               fonts.primary_file(ui::font_weight::bold));
  board_painter painter(window.renderer(), fonts, ui::hall_theme());
  ui::render_loop loop;

  device::device_client client(client_options(options));
  client.on_change([&](const view::mirror& mirror, const view::change& what) {
    if (what.replaced || what.counters) announcements.on_view(mirror.view());
    loop.request_redraw();
  });
  client.on_call([&](const v1::Call& call, device::call_origin origin) {
    announcements.on_call(call, origin, system_clock::now());
    loop.request_redraw();
  });
  client.on_state([&](const device::link_status& status) {
    if (status.state == device::connection_state::disconnected) {
      spdlog::warn("lost the server: {} (retry in {} ms)", status.reason, status.retry_in.count());
    } else if (status.state == device::connection_state::live) {
      spdlog::info("live at seq {}", client.seq());
    }
    loop.request_redraw();
  });
  client.start();

  system_clock::time_point next_change = system_clock::now();
  loop.run({[&] {
              const auto now = system_clock::now();
              const auto board = current_board(options, client, announcements.latest(), now);
              const auto page = painter.paint(board, window.output_size());
              next_change = page ? std::min(board.next_change, *page) : board.next_change;
              if (!options.frame_file.empty()) save_frame(window.renderer(), options.frame_file);
              window.present();
              // Logged once the frame is on its way to the screen, so the
              // line's time is when the viewer can see it.
              if (spdlog::should_log(spdlog::level::debug)) describe(board, client.seq());
            },
            [&]() -> std::optional<std::chrono::milliseconds> {
              const auto wait =
                  std::chrono::ceil<std::chrono::milliseconds>(next_change - system_clock::now());
              return std::max(wait, std::chrono::milliseconds(0));
            },
            [&](const SDL_Event& event) {
              if (event.type == SDL_KEYDOWN && event.key.keysym.sym == SDLK_ESCAPE &&
                  options.screen == ui::screen_mode::windowed) {
                loop.request_stop();
              }
            }});
  spdlog::info("stopping");
  client.stop();
  return 0;
}

}  // namespace

int run(const display_options& options) {
  try {
    switch (options.mode) {
      case run_mode::print_announcement:
        return print_announcement(options);
      case run_mode::screenshot:
        return screenshot(options);
      case run_mode::board:
        return live_board(options);
    }
  } catch (const std::exception& failure) {
    std::cerr << "luot-display: " << failure.what() << "\n";
    return 1;
  }
  return 1;
}

}  // namespace luot::display
