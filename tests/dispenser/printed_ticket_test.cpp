// The printed bytes, checked by tools that share no code with Luot: npm
// `npos` parses the ESC/POS job and rebuilds its raster, tesseract reads the
// Vietnamese text back, zbarimg decodes the QR code.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "printer/ticket_encoding.hpp"
#include "printer/ticket_printer.hpp"
#include "sample_ticket.hpp"

namespace luot::printer {
namespace {

namespace fs = std::filesystem;

struct command_result {
  int exit_code = -1;
  std::string output;
};

// Runs a shell command and collects its standard output.
command_result run(const std::string& command) {
  command_result result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), got);
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

class PrintedTicket : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("luot-printed-" + std::to_string(::getpid()));
    fs::create_directories(directory_);
  }
  // The rebuilt PNGs stay for a look when a test fails or LUOT_KEEP_PRINTED=1.
  void TearDown() override {
    const char* keep = std::getenv("LUOT_KEEP_PRINTED");
    if (HasFailure() || (keep != nullptr && std::string(keep) == "1")) {
      std::printf("printed tickets kept in %s\n", directory_.c_str());
    } else {
      fs::remove_all(directory_);
    }
  }

  // Prints through the file backend, as the kiosk would with --printer file:,
  // and rebuilds the job with npos. Returns npos's JSON summary.
  std::string print_and_rebuild(const ticket_content& content, paper_width paper,
                                const std::string& name, ticket_image& drawn) {
    const fs::path job = directory_ / (name + ".bin");
    ticket_printer tickets(
        make_backend(printer_spec{printer_kind::file, job.string(), "", default_raw_port}),
        layout_options{paper});
    const auto report = tickets.print(content);
    EXPECT_TRUE(report.printed()) << report.detail;
    drawn = tickets.layout().draw(content);
    png_ = directory_ / (name + ".png");
    pbm_ = directory_ / (name + ".pbm");
    const auto rebuilt = run("NODE_PATH='" LUOT_TEST_TOOLS_DIR "/node_modules' node '" +
                             std::string(LUOT_DISPENSER_TEST_DIR) + "/render_printed.js' '" +
                             job.string() + "' '" + png_.string() + "' '" + pbm_.string() + "'");
    EXPECT_EQ(rebuilt.exit_code, 0) << rebuilt.output;
    return rebuilt.output;
  }

  fs::path directory_;
  fs::path png_;
  fs::path pbm_;
};

TEST_F(PrintedTicket, NposRebuildsTheRasterDotForDot) {
  for (const auto paper : {paper_width::mm80, paper_width::mm58}) {
    SCOPED_TRACE(paper_dots(paper));
    ticket_image drawn;
    const auto summary = print_and_rebuild(testing::sample_ticket(), paper,
                                           "dots" + std::to_string(paper_dots(paper)), drawn);
    const auto rebuilt = read_pbm(pbm_);
    ASSERT_TRUE(rebuilt.has_value()) << summary;
    EXPECT_EQ(rebuilt->width(), paper_dots(paper));
    EXPECT_EQ(*rebuilt, drawn.raster);
    // What the printer receives holds no real-time command inside the raster.
    auto guarded = drawn.raster;
    EXPECT_EQ(break_real_time_commands(guarded), 0);
    // The job starts with ESC @ and ends with a cut, in npos's own words.
    EXPECT_EQ(summary.find(R"({"name":"ESC @")"), summary.find(R"("commands":[)") + 12) << summary;
    EXPECT_NE(summary.find(R"({"name":"GS V")"), std::string::npos) << summary;
    EXPECT_NE(summary.find(R"({"widthBytes":)" + std::to_string(paper_dots(paper) / 8) +
                           R"(,"rows":256})"),
              std::string::npos)
        << summary;
  }
}

TEST_F(PrintedTicket, TesseractReadsTheNumberAndTheVietnameseCategory) {
  struct ocr_case {
    std::string category;
    std::string number;
    paper_width paper;
  };
  const std::vector<ocr_case> cases = {
      {"Người có công", "2047", paper_width::mm80},
      {"Bảo trợ xã hội", "1315", paper_width::mm58},
  };
  for (const auto& test : cases) {
    SCOPED_TRACE(test.category);
    auto content = testing::sample_ticket();
    content.category_name = test.category;
    content.number = test.number;
    ticket_image drawn;
    print_and_rebuild(content, test.paper, "ocr" + test.number, drawn);
    const auto read = run("tesseract '" + png_.string() + "' - -l vie 2>/dev/null");
    ASSERT_EQ(read.exit_code, 0);
    EXPECT_NE(read.output.find(test.number), std::string::npos) << read.output;
    EXPECT_NE(read.output.find(test.category), std::string::npos) << read.output;
    EXPECT_NE(read.output.find("Số người đang chờ trước: 4"), std::string::npos) << read.output;
  }
}

TEST_F(PrintedTicket, ZbarimgDecodesTheStatusUrl) {
  for (const auto paper : {paper_width::mm80, paper_width::mm58}) {
    SCOPED_TRACE(paper_dots(paper));
    const auto content = testing::sample_ticket();
    ticket_image drawn;
    print_and_rebuild(content, paper, "qr" + std::to_string(paper_dots(paper)), drawn);
    const auto decoded = run("zbarimg --raw -q '" + png_.string() + "' 2>/dev/null");
    ASSERT_EQ(decoded.exit_code, 0) << decoded.output;
    EXPECT_EQ(trimmed(decoded.output), content.status_url);
  }
}

}  // namespace
}  // namespace luot::printer
