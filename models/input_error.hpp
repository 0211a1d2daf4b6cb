#pragma once
// One error type for every reader of user input: it carries the place (a JSON pointer such as
// "/warm/downtime", or "file:line:column") and a message saying what was expected and what was
// found. The CLI prints "<file>: <where>: <what>" and exits with status 2.
#include <stdexcept>
#include <string>

namespace rejuv {

class InputError : public std::runtime_error {
 public:
  // `where` is a JSON pointer into the document being read ("/warm/downtime").
  InputError(std::string where, std::string what)
      : std::runtime_error(where.empty() ? what : where + ": " + what),
        where_(std::move(where)),
        what_(std::move(what)) {}
  // `where` names a file or a place in one ("data/x.csv:5:3", "/abs/path/events.csv").
  static InputError in_file(std::string where, std::string what) {
    InputError e(std::move(where), std::move(what));
    e.in_file_ = true;
    return e;
  }
  const std::string& where() const { return where_; }
  const std::string& message() const { return what_; }
  bool in_file() const { return in_file_; }

 private:
  std::string where_;
  std::string what_;
  bool in_file_ = false;
};

}  // namespace rejuv
