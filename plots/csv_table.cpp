#include "plots/csv_table.hpp"

#include <fmt/format.h>

#include <cmath>
#include <fstream>

#include "models/input_error.hpp"

namespace rejuv::plots {

namespace {

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r") - a + 1);
}

CsvRow split(const std::string& text, int line) {
  CsvRow row;
  row.line = line;
  size_t k = 0;
  while (true) {
    row.columns.push_back(int(k) + 1);
    std::string cell;
    if (k < text.size() && text[k] == '"') {
      ++k;
      while (k < text.size()) {
        if (text[k] == '"') {
          if (k + 1 < text.size() && text[k + 1] == '"') {
            cell += '"';
            k += 2;
            continue;
          }
          ++k;
          break;
        }
        cell += text[k++];
      }
      while (k < text.size() && text[k] != ',') ++k;
    } else {
      const size_t e = text.find(',', k);
      cell = text.substr(k, e == std::string::npos ? std::string::npos : e - k);
      k = e == std::string::npos ? text.size() : e;
    }
    row.cells.push_back(trim(cell));
    if (k >= text.size()) break;
    ++k;  // the comma
  }
  return row;
}

}  // namespace

std::optional<size_t> CsvTable::find(const std::string& name) const {
  for (size_t c = 0; c < header.size(); ++c)
    if (header[c] == name) return c;
  return std::nullopt;
}

size_t CsvTable::column(const std::string& name) const {
  if (auto c = find(name)) return *c;
  throw InputError::in_file(fmt::format("{}:{}", file, header_line),
                            fmt::format("no column \"{}\" (the header has {})", name,
                                        fmt::join(header, ", ")));
}

std::string CsvTable::place(const CsvRow& row, size_t col) const {
  return fmt::format("{}:{}:{}", file, row.line, col < row.columns.size() ? row.columns[col] : 1);
}

std::optional<double> CsvTable::number_or_empty(const CsvRow& row, size_t col) const {
  const std::string& s = row.cells.at(col);
  if (s.empty()) return std::nullopt;
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != s.size() || !std::isfinite(v))
    throw InputError::in_file(place(row, col),
                              fmt::format("{}: expected a number, got \"{}\"", header.at(col), s));
  return v;
}

double CsvTable::number(const CsvRow& row, size_t col) const {
  if (auto v = number_or_empty(row, col)) return *v;
  throw InputError::in_file(place(row, col),
                            fmt::format("{}: expected a number, got an empty cell", header.at(col)));
}

CsvTable read_csv(const std::filesystem::path& file) {
  CsvTable t;
  t.file = file.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec))
    throw InputError::in_file(t.file, "no such file");
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError::in_file(t.file, "cannot read the file");
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (trim(text).empty() || text[0] == '#') continue;
    CsvRow row = split(text, line);
    if (t.header.empty()) {
      t.header = row.cells;
      t.header_line = line;
      continue;
    }
    if (row.cells.size() != t.header.size())
      throw InputError::in_file(
          fmt::format("{}:{}", t.file, line),
          fmt::format("expected {} cells as in the header (line {}), found {}", t.header.size(),
                      t.header_line, row.cells.size()));
    t.rows.push_back(std::move(row));
  }
  if (t.header.empty()) throw InputError::in_file(t.file, "empty: expected a header line");
  return t;
}

}  // namespace rejuv::plots
