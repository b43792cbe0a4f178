// Ticket printing costs on this machine, per ticket: drawing with SDL2_ttf
// and thresholding, ESC/POS encoding, the bytes a printer must receive, and
// a whole print() to a file (with fdatasync) and to a raw-TCP printer on
// loopback that answers DLE EOT (two rounds of four status queries).
//
// Usage: bench_printer [iterations]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "printer/ticket_encoding.hpp"
#include "printer/ticket_printer.hpp"

namespace {

using namespace luot::printer;
using clock_type = std::chrono::steady_clock;

ticket_content sample() {
  ticket_content content;
  content.centre_name = "Bộ phận Một cửa Sở Lao động – Thương binh và Xã hội tỉnh Quảng Nam";
  content.category_name = "Người có công";
  content.number = "2047";
  content.priority_label = "Người cao tuổi";
  content.issued_at = "23/11/2026 09:41";
  content.people_ahead = 4;
  content.estimated_wait_seconds = 720;
  content.status_url = "https://motcua.quangnam.gov.vn/t/7Qx2LmN4pR8sKv3W";
  content.hotline = "1900 8198";
  content.documents = {"Căn cước công dân (bản chính)",
                       "Giấy chứng nhận người có công với cách mạng",
                       "Tờ khai đề nghị hưởng trợ cấp ưu đãi (mẫu số 01)"};
  return content;
}

struct timing {
  double median_ms;
  double p99_ms;
};

timing measure(int iterations, const std::function<void()>& work) {
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    const auto start = clock_type::now();
    work();
    samples.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - start).count());
  }
  std::sort(samples.begin(), samples.end());
  const auto at = [&](double quantile) {
    return samples[std::min(
        samples.size() - 1,
        static_cast<std::size_t>(quantile * static_cast<double>(samples.size())))];
  };
  return {at(0.5), at(0.99)};
}

// A raw-TCP printer that reads everything and answers every DLE EOT n with
// "all clear" (0x12).
class loopback_printer {
 public:
  loopback_printer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 4);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~loopback_printer() {
    stopping_ = true;
    thread_.join();
    ::close(listener_);
  }
  std::uint16_t port() const { return port_; }

 private:
  void serve() {
    while (!stopping_) {
      pollfd entry{listener_, POLLIN, 0};
      if (::poll(&entry, 1, 20) <= 0) continue;
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) continue;
      unsigned char buffer[65536];
      int matched = 0;
      while (true) {
        const ssize_t got = ::read(connection, buffer, sizeof buffer);
        if (got <= 0) break;
        for (ssize_t i = 0; i < got; ++i) {
          const unsigned char byte = buffer[i];
          if (matched == 2 && byte >= 1 && byte <= 4) {
            const unsigned char answer = 0x12;
            if (::write(connection, &answer, 1) != 1) break;
            matched = 0;
          } else {
            matched = (matched == 1 && byte == 0x04) ? 2 : (byte == 0x10 ? 1 : 0);
          }
        }
      }
      ::close(connection);
    }
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
  const auto content = sample();
  loopback_printer network_printer;
  const auto file = std::filesystem::temp_directory_path() / "luot-bench-printer.bin";

  std::printf(
      "| paper | raster (dots) | job bytes | draw p50/p99 (ms) | encode p50 (ms) | "
      "print to file p50/p99 (ms) | print over TCP p50/p99 (ms) |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
  for (const auto paper : {paper_width::mm80, paper_width::mm58}) {
    ticket_layout layout({paper});
    ticket_image image;
    const auto draw = measure(iterations, [&] { image = layout.draw(content); });
    std::vector<std::uint8_t> job;
    const auto encode = measure(iterations, [&] { job = encode_ticket(image); });

    std::filesystem::remove(file);
    ticket_printer to_file(
        make_backend(printer_spec{printer_kind::file, file.string(), "", default_raw_port}),
        layout_options{paper});
    const auto file_print = measure(iterations, [&] {
      if (!to_file.print(content).printed()) std::abort();
    });

    backend_timeouts timeouts;
    timeouts.answer = std::chrono::milliseconds(20);  // the FIN wait when closing
    ticket_printer to_network(
        make_backend(printer_spec{printer_kind::tcp, "", "127.0.0.1", network_printer.port()},
                     timeouts),
        layout_options{paper});
    const auto network_print = measure(iterations, [&] {
      if (!to_network.print(content).printed()) std::abort();
    });

    std::printf("| %d mm | %d×%d | %zu | %.2f / %.2f | %.3f | %.2f / %.2f | %.2f / %.2f |\n",
                paper == paper_width::mm80 ? 80 : 58, image.raster.width(), image.raster.height(),
                job.size(), draw.median_ms, draw.p99_ms, encode.median_ms, file_print.median_ms,
                file_print.p99_ms, network_print.median_ms, network_print.p99_ms);
  }
  std::filesystem::remove(file);
  return 0;
}
