#pragma once

#include <optional>
#include <string>
#include <vector>

namespace luot::bench {

// A Markdown table built row by row: numbers right-aligned, text left.
class markdown_table {
 public:
  struct column {
    std::string name;
    bool text = false;
  };
  explicit markdown_table(std::vector<column> columns);

  void add_row(std::vector<std::string> cells);
  std::string render() const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// `value` with `decimals` digits after the point; "–" when it is not a
// finite number.
std::string fixed(double value, int decimals = 0);
// 1234567 → "1,234,567".
std::string grouped(double value);
// A ratio as "2.07×".
std::string times(double ratio);

// One headline figure of the run: what issue 11's goals table asks and what
// this run measured.
struct figure {
  std::string name;
  std::string measured;
  std::string goal;
  // Nothing: there is no goal, or it could not be judged.
  std::optional<bool> met;
};

// RESULTS.md: a header, the headline figures against their goals, then one
// section per measurement, in the order they ran.
class results_document {
 public:
  void add_figure(figure headline) { figures_.push_back(std::move(headline)); }
  void add_section(std::string markdown) { sections_.push_back(std::move(markdown)); }
  // A correctness problem (a lost update, a refused ticket): listed in the
  // document and makes the run fail.
  void add_problem(std::string what) { problems_.push_back(std::move(what)); }
  const std::vector<std::string>& problems() const { return problems_; }

  std::string render(const std::string& header) const;

 private:
  std::vector<figure> figures_;
  std::vector<std::string> sections_;
  std::vector<std::string> problems_;
};

}  // namespace luot::bench
