#include "kiosk/kiosk_app.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

#include "kiosk/headless_box.hpp"
#include "kiosk/kiosk_service.hpp"
#include "kiosk/kiosk_window.hpp"

namespace luot::kiosk {

std::unique_ptr<printer::ticket_printer> make_printer(const kiosk_options& options) {
  printer::layout_options layout;
  layout.paper = options.paper;
  layout.qr = options.qr;
  printer::encoding_options encoding;
  encoding.cut = options.cut;
  return std::make_unique<printer::ticket_printer>(printer::make_backend(options.printer),
                                                   std::move(layout), encoding);
}

int run_kiosk(const kiosk_options& options) {
  kiosk_service service(options, make_printer(options));
  spdlog::info("server {}, printer {}, presses kept in {}", options.server_url,
               options.printer.to_string(), options.state_directory.string());
  if (options.mode == run_mode::headless) {
    headless_box box(service, options.language, options.keys, std::cout, std::cerr);
    service.on_report([&box](const press_report& report) { box.handle(report); });
    service.start();
    const int code = box.run(std::cin);
    service.stop();
    return code;
  }
  return run_window(options, service);
}

}  // namespace luot::kiosk
