#pragma once
// The CSV files the plots read (timeline.csv, sweep.csv, a curve set's throughput.csv and
// events.csv): a header, then rows, each cell kept with its line and column so that every problem
// is an InputError::in_file("file:line:column", …). Lines starting with '#' and blank lines are
// skipped; a cell may be quoted ("a,b", "" for a quote) as cli/output.hpp's render_csv writes it.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace rejuv::plots {

struct CsvRow {
  int line = 0;
  std::vector<std::string> cells;
  std::vector<int> columns;  // 1-based character where each cell starts
};

struct CsvTable {
  std::string file;
  int header_line = 0;
  std::vector<std::string> header;
  std::vector<CsvRow> rows;

  // Index of a header cell, or nullopt.
  std::optional<size_t> find(const std::string& name) const;
  // Index of a header cell; a missing one throws "file:line: no column "x" (the header has …)".
  size_t column(const std::string& name) const;
  // The cell as a number; an empty or malformed cell throws "file:line:column: expected a number".
  double number(const CsvRow& row, size_t col) const;
  // nullopt for an empty cell; a malformed one throws as `number` does.
  std::optional<double> number_or_empty(const CsvRow& row, size_t col) const;
  std::string place(const CsvRow& row, size_t col) const;
};

// Reads `file`; a missing or unreadable file, a file without a header and a row whose cell count
// differs from the header's throw InputError::in_file.
CsvTable read_csv(const std::filesystem::path& file);

}  // namespace rejuv::plots
