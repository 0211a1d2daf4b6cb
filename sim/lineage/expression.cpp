#include "sim/lineage/expression.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cmath>

#include "models/input_error.hpp"
#include "models/units.hpp"
#include "sim/lineage/world.hpp"

namespace rejuv::sim::lineage {

std::string_view name(ValueType t) {
  switch (t) {
    case ValueType::number:
      return "a number";
    case ValueType::boolean:
      return "a condition";
    case ValueType::string:
      return "a string";
  }
  return "?";
}

namespace {

struct Token {
  enum class Kind : uint8_t { number, string, ident, op, end };
  Kind kind;
  std::string text;
  double number = 0;
  size_t column = 0;  // 1-based
};

}  // namespace

// Recursive descent over the token list, building the node array of an Expression.
class ExprParser {
 public:
  ExprParser(const std::string& text, World& world, const ExprContext& ctx,
             const std::string& where)
      : text_(text), world_(world), ctx_(ctx), where_(where) {}

  Expression parse(std::optional<ValueType> want, bool key) {
    lex();
    Expression e;
    e.text_ = text_;
    nodes_ = &e.nodes_;
    const int32_t root = parse_or();
    if (peek().kind != Token::Kind::end)
      fail(peek().column, fmt::format("expected an operator or the end, got \"{}\"", peek().text));
    const ValueType t = type(root);
    if (key) {
      if (t == ValueType::boolean)
        fail(1, "expected a sort key (a number or a string), got a condition");
    } else if (want && t != *want) {
      fail(1, fmt::format("expected {}, got {}", name(*want), name(t)));
    }
    e.root_ = root;
    e.type_ = t;
    e.find_shape();
    return e;
  }

 private:
  using Node = Expression::Node;
  using Op = Expression::Op;

  [[noreturn]] void fail(size_t column, const std::string& what) const {
    throw InputError(where_, fmt::format("column {}: {} (in \"{}\")", column, what, text_));
  }

  void lex() {
    size_t i = 0;
    const std::string& s = text_;
    while (i < s.size()) {
      const char c = s[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        ++i;
        continue;
      }
      const size_t col = i + 1;
      if (std::isdigit(static_cast<unsigned char>(c)) ||
          (c == '.' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
        size_t j = i;
        while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
        if (j < s.size() && (s[j] == 'e' || s[j] == 'E') && j + 1 < s.size() &&
            (std::isdigit(static_cast<unsigned char>(s[j + 1])) || s[j + 1] == '-' ||
             s[j + 1] == '+')) {
          j += 2;
          while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        }
        const std::string digits = s.substr(i, j - i);
        size_t k = j;
        while (k < s.size() && (std::isalpha(static_cast<unsigned char>(s[k])) || s[k] == '%')) ++k;
        const std::string unit = s.substr(j, k - j);
        tokens_.push_back(Token{Token::Kind::number, s.substr(i, k - i),
                                number_with_unit(digits, unit, col), col});
        i = k;
        continue;
      }
      if (c == '"' || c == '\'') {
        const size_t end = s.find(c, i + 1);
        if (end == std::string::npos) fail(col, "this string has no closing quote");
        tokens_.push_back(Token{Token::Kind::string, s.substr(i + 1, end - i - 1), 0, col});
        i = end + 1;
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        size_t j = i;
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
        tokens_.push_back(Token{Token::Kind::ident, s.substr(i, j - i), 0, col});
        i = j;
        continue;
      }
      static const char* const kOps[] = {"<=", ">=", "==", "!=", "&&", "||", "<", ">",
                                         "+",  "-",  "*",  "/",  "(",  ")",  ".", "!"};
      bool matched = false;
      for (const char* op : kOps) {
        const std::string_view o(op);
        if (s.compare(i, o.size(), o) == 0) {
          tokens_.push_back(Token{Token::Kind::op, std::string(o), 0, col});
          i += o.size();
          matched = true;
          break;
        }
      }
      if (!matched) fail(col, fmt::format("unexpected character '{}'", c));
    }
    tokens_.push_back(Token{Token::Kind::end, "the end", 0, s.size() + 1});
  }

  double number_with_unit(const std::string& digits, const std::string& unit, size_t col) const {
    char* end = nullptr;
    const double x = std::strtod(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size() || !std::isfinite(x))
      fail(col, fmt::format("malformed number \"{}\"", digits));
    if (unit.empty()) return x;
    if (unit == "%") return x / 100;
    // Sizes and durations come from the one unit table of models/units.hpp.
    try {
      return parse_bytes(nlohmann::json(digits + unit), "");
    } catch (const InputError&) {
    }
    try {
      return parse_duration_text(digits + unit, "");
    } catch (const InputError&) {
    }
    fail(col + digits.size(), fmt::format("unknown unit \"{}\" (sizes: B, KiB, MiB, GiB, TiB, kB, "
                                          "MB, GB, TB; durations: ms, s, min, h, d, w; or %)",
                                          unit));
  }

  const Token& peek() const { return tokens_[pos_]; }
  const Token& next() { return tokens_[pos_++]; }
  bool accept(std::string_view op) {
    const Token& t = peek();
    if ((t.kind == Token::Kind::op || t.kind == Token::Kind::ident) && t.text == op) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(std::string_view op) {
    if (!accept(op))
      fail(peek().column, fmt::format("expected \"{}\", got \"{}\"", op, peek().text));
  }

  ValueType type(int32_t n) const { return (*nodes_)[size_t(n)].type; }
  int32_t add(Node n) {
    nodes_->push_back(n);
    return int32_t(nodes_->size() - 1);
  }
  void require(int32_t n, ValueType t, size_t col, const char* what) const {
    if (type(n) != t) fail(col, fmt::format("{} needs {}, got {}", what, name(t), name(type(n))));
  }

  int32_t parse_or() {
    int32_t a = parse_and();
    for (;;) {
      const size_t col = peek().column;
      if (!accept("or") && !accept("||")) return a;
      const int32_t b = parse_and();
      require(a, ValueType::boolean, col, "\"or\"");
      require(b, ValueType::boolean, col, "\"or\"");
      a = add(Node{Op::or_, ValueType::boolean, a, b});
    }
  }
  int32_t parse_and() {
    int32_t a = parse_not();
    for (;;) {
      const size_t col = peek().column;
      if (!accept("and") && !accept("&&")) return a;
      const int32_t b = parse_not();
      require(a, ValueType::boolean, col, "\"and\"");
      require(b, ValueType::boolean, col, "\"and\"");
      a = add(Node{Op::and_, ValueType::boolean, a, b});
    }
  }
  int32_t parse_not() {
    const size_t col = peek().column;
    if (accept("not") || accept("!")) {
      const int32_t a = parse_not();
      require(a, ValueType::boolean, col, "\"not\"");
      return add(Node{Op::not_, ValueType::boolean, a});
    }
    return parse_compare();
  }
  int32_t parse_compare() {
    const int32_t a = parse_sum();
    static const std::pair<const char*, Op> kCmp[] = {{"<=", Op::le}, {">=", Op::ge},
                                                      {"==", Op::eq}, {"!=", Op::ne},
                                                      {"<", Op::lt},  {">", Op::gt}};
    for (const auto& [text, op] : kCmp) {
      const size_t col = peek().column;
      if (!accept(text)) continue;
      const int32_t b = parse_sum();
      const bool equality = op == Op::eq || op == Op::ne;
      if (type(a) != type(b) || type(a) == ValueType::boolean ||
          (type(a) == ValueType::string && !equality))
        fail(col, fmt::format("cannot compare {} with {} by \"{}\"", name(type(a)), name(type(b)),
                              text));
      return fuse(add(Node{op, ValueType::boolean, a, b}));
    }
    return a;
  }
  // An element's own attribute compared with a constant becomes one node (most predicates are
  // made of these: it halves their evaluation time at scale).
  int32_t fuse(int32_t n) {
    Node& c = (*nodes_)[size_t(n)];
    const Node& a = (*nodes_)[size_t(c.a)];
    const Node& b = (*nodes_)[size_t(c.b)];
    if (a.op == Op::attribute && b.op == Op::enclosing_attribute && a.type == ValueType::number) {
      Node f{Op::attribute_vs_enclosing, ValueType::boolean};
      f.kind = a.kind;
      f.column = a.column;
      f.other_kind = b.kind;
      f.other_column = b.column;
      f.depth = b.depth;
      f.cmp = c.op;
      c = f;
      return n;
    }
    const bool attr_first = a.op == Op::attribute && b.op == Op::constant;
    const bool const_first = b.op == Op::attribute && a.op == Op::constant;
    if (!attr_first && !const_first) return n;
    static const std::pair<Op, Op> kMirror[] = {{Op::lt, Op::gt}, {Op::gt, Op::lt},
                                                {Op::le, Op::ge}, {Op::ge, Op::le},
                                                {Op::eq, Op::eq}, {Op::ne, Op::ne}};
    Op cmp = c.op;
    if (const_first)
      for (const auto& [from, to] : kMirror)
        if (from == c.op) {
          cmp = to;
          break;
        }
    const Node& attr = attr_first ? a : b;
    Node f{Op::attribute_vs_constant, ValueType::boolean};
    f.kind = attr.kind;
    f.column = attr.column;
    f.constant = (attr_first ? b : a).constant;
    f.cmp = cmp;
    f.a = attr.type == ValueType::string ? 1 : 0;  // whether the attribute is a string
    c = f;
    return n;
  }

  int32_t parse_sum() {
    int32_t a = parse_product();
    for (;;) {
      const size_t col = peek().column;
      Op op;
      if (accept("+"))
        op = Op::add;
      else if (accept("-"))
        op = Op::sub;
      else
        return a;
      const int32_t b = parse_product();
      require(a, ValueType::number, col, "arithmetic");
      require(b, ValueType::number, col, "arithmetic");
      a = add(Node{op, ValueType::number, a, b});
    }
  }
  int32_t parse_product() {
    int32_t a = parse_unary();
    for (;;) {
      const size_t col = peek().column;
      Op op;
      if (accept("*"))
        op = Op::mul;
      else if (accept("/"))
        op = Op::div;
      else
        return a;
      const int32_t b = parse_unary();
      require(a, ValueType::number, col, "arithmetic");
      require(b, ValueType::number, col, "arithmetic");
      a = add(Node{op, ValueType::number, a, b});
    }
  }
  int32_t parse_unary() {
    const size_t col = peek().column;
    if (accept("-")) {
      const int32_t a = parse_unary();
      require(a, ValueType::number, col, "\"-\"");
      return add(Node{Op::neg, ValueType::number, a});
    }
    return parse_primary();
  }
  int32_t parse_primary() {
    const Token t = next();
    switch (t.kind) {
      case Token::Kind::number: {
        Node n{Op::constant, ValueType::number};
        n.constant.num = t.number;
        return add(n);
      }
      case Token::Kind::string: {
        Node n{Op::constant, ValueType::string};
        n.constant.str = world_.intern(t.text);
        return add(n);
      }
      case Token::Kind::op:
        if (t.text == "(") {
          const int32_t a = parse_or();
          expect(")");
          return a;
        }
        fail(t.column, fmt::format("expected a value, got \"{}\"", t.text));
      case Token::Kind::end:
        fail(t.column, "expected a value, got the end");
      case Token::Kind::ident:
        break;
    }
    if (t.text == "true" || t.text == "false") {
      Node n{Op::constant, ValueType::boolean};
      n.constant.num = t.text == "true" ? 1 : 0;
      return add(n);
    }
    if (t.text == "prefix") return parse_prefix(t);
    if ((t.text == "host" || t.text == "vm") && peek().text == ".") {
      next();
      const Kind k = t.text == "host" ? Kind::host : Kind::vm;
      const Token attr = next();
      if (attr.kind != Token::Kind::ident)
        fail(attr.column, fmt::format("expected an attribute after \"{}.\"", t.text));
      // The nearest enclosing element of that kind, not the element itself.
      for (size_t d = ctx_.enclosing.size(); d-- > 0;) {
        if (ctx_.enclosing[d] != k) continue;
        Node n = attribute(k, attr);
        n.op = Op::enclosing_attribute;
        n.depth = uint32_t(d);
        return add(n);
      }
      fail(t.column, fmt::format("\"{}.\" names the enclosing {}, and there is none here", t.text,
                                 t.text == "host" ? "host" : "VM"));
    }
    return add(attribute(ctx_.self, t));
  }

  Node attribute(Kind k, const Token& t) const {
    const auto c = world_.find_column(k, t.text);
    if (!c) {
      std::string known;
      for (const auto& n : world_.column_names(k)) known += (known.empty() ? "" : ", ") + n;
      fail(t.column, fmt::format("unknown attribute \"{}\" of a {} (known: {})", t.text,
                                 k == Kind::host ? "host" : "VM", known));
    }
    Node n{Op::attribute, c->type};
    n.kind = k;
    n.column = c->index;
    return n;
  }

  int32_t parse_prefix(const Token& t) {
    if (!ctx_.prefix) fail(t.column, "\"prefix\" is only defined in accumulateWhile");
    expect(".");
    const Token f = next();
    if (f.text == "count") {
      if (accept("(")) expect(")");
      return add(Node{Op::prefix_count, ValueType::number});
    }
    Op op;
    if (f.text == "sum")
      op = Op::prefix_sum;
    else if (f.text == "min")
      op = Op::prefix_min;
    else if (f.text == "max")
      op = Op::prefix_max;
    else
      fail(
          f.column,
          fmt::format(
              "expected prefix.count, prefix.sum(…), prefix.min(…) or prefix.max(…), got prefix.{}",
              f.text));
    expect("(");
    const size_t col = peek().column;
    // The argument is evaluated on each element of the prefix: its attributes are the list's.
    const int32_t a = parse_or();
    require(a, ValueType::number, col, fmt::format("prefix.{}", f.text).c_str());
    expect(")");
    return add(Node{op, ValueType::number, a});
  }

  const std::string& text_;
  World& world_;
  const ExprContext& ctx_;
  const std::string& where_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  std::vector<Node>* nodes_ = nullptr;
};

Expression Expression::compile(const std::string& text, World& world, const ExprContext& ctx,
                               ValueType want, const std::string& where) {
  return ExprParser(text, world, ctx, where).parse(want, false);
}

Expression Expression::compile_key(const std::string& text, World& world, const ExprContext& ctx,
                                   const std::string& where) {
  return ExprParser(text, world, ctx, where).parse(std::nullopt, true);
}

double Expression::attribute_of(const Node& n, const Element& e) {
  return e.world->num(n.kind, n.column, e.index);
}

bool Expression::fused(const Node& n, const ExprEnv& env) {
  const Element& e = env.self;
  if (n.op == Op::attribute_vs_enclosing) {
    const Element& o = env.enclosing[n.depth];
    const double x = e.world ? e.world->num(n.kind, n.column, e.index) : 0.0;
    const double y = o.world ? o.world->num(n.other_kind, n.other_column, o.index) : 0.0;
    return holds(n.cmp, x, y);
  }
  if (n.a == 1) {  // a string attribute: == or !=
    const int32_t v = e.world ? e.world->str(n.kind, n.column, e.index) : World::kEmpty;
    return (v == n.constant.str) == (n.cmp == Op::eq);
  }
  return holds(n.cmp, e.world ? e.world->num(n.kind, n.column, e.index) : 0.0, n.constant.num);
}

void Expression::find_shape() {
  auto is_fused = [&](int32_t i) {
    const Op op = nodes_[size_t(i)].op;
    return op == Op::attribute_vs_constant || op == Op::attribute_vs_enclosing;
  };
  const Node& r = nodes_[size_t(root_)];
  if (is_fused(root_)) {
    shape_ = Shape::fused;
  } else if ((r.op == Op::and_ || r.op == Op::or_) && is_fused(r.a) && is_fused(r.b)) {
    shape_ = r.op == Op::and_ ? Shape::fused_and : Shape::fused_or;
    first_ = r.a;
    second_ = r.b;
  } else if (r.op == Op::attribute && r.type == ValueType::number) {
    shape_ = Shape::attribute;
    first_ = root_;
  } else if (r.op == Op::neg && nodes_[size_t(r.a)].op == Op::attribute) {
    shape_ = Shape::negated_attribute;
    first_ = r.a;
  }
}

bool Expression::holds(Op cmp, double x, double y) {
  switch (cmp) {
    case Op::lt:
      return x < y;
    case Op::le:
      return x <= y;
    case Op::gt:
      return x > y;
    case Op::ge:
      return x >= y;
    case Op::eq:
      return x == y;
    case Op::ne:
      return x != y;
    default:
      return false;
  }
}

Expression::Value Expression::eval(int32_t i, const ExprEnv& env) const {
  const Node& n = nodes_[size_t(i)];
  auto num = [](double x) { return Value{x, -1}; };
  switch (n.op) {
    case Op::constant:
      return n.constant;
    case Op::attribute:
    case Op::enclosing_attribute: {
      const Element& e = n.op == Op::attribute ? env.self : env.enclosing[n.depth];
      if (!e.world) return Value{0, n.type == ValueType::string ? World::kEmpty : -1};
      if (n.type == ValueType::string) return Value{0, e.world->str(n.kind, n.column, e.index)};
      return num(e.world->num(n.kind, n.column, e.index));
    }
    case Op::prefix_count:
      return num(double(env.prefix->size()));
    case Op::prefix_sum:
    case Op::prefix_min:
    case Op::prefix_max: {
      double acc = n.op == Op::prefix_sum ? 0 : n.op == Op::prefix_min ? INFINITY : -INFINITY;
      for (const Element& e : *env.prefix) {
        ExprEnv inner = env;
        inner.self = e;
        const double x = eval(n.a, inner).num;
        acc = n.op == Op::prefix_sum   ? acc + x
              : n.op == Op::prefix_min ? std::min(acc, x)
                                       : std::max(acc, x);
      }
      return num(acc);
    }
    case Op::neg:
      return num(-eval(n.a, env).num);
    case Op::add:
      return num(eval(n.a, env).num + eval(n.b, env).num);
    case Op::sub:
      return num(eval(n.a, env).num - eval(n.b, env).num);
    case Op::mul:
      return num(eval(n.a, env).num * eval(n.b, env).num);
    case Op::div:
      return num(eval(n.a, env).num / eval(n.b, env).num);
    case Op::not_:
      return num(eval(n.a, env).num == 0 ? 1 : 0);
    case Op::and_:
      return num(eval(n.a, env).num != 0 && eval(n.b, env).num != 0 ? 1 : 0);
    case Op::or_:
      return num(eval(n.a, env).num != 0 || eval(n.b, env).num != 0 ? 1 : 0);
    case Op::eq:
    case Op::ne: {
      const Value a = eval(n.a, env), b = eval(n.b, env);
      const bool same =
          nodes_[size_t(n.a)].type == ValueType::string ? a.str == b.str : a.num == b.num;
      return num((n.op == Op::eq) == same ? 1 : 0);
    }
    case Op::attribute_vs_constant:
    case Op::attribute_vs_enclosing:
      return num(fused(n, env) ? 1 : 0);
    case Op::lt:
      return num(eval(n.a, env).num < eval(n.b, env).num ? 1 : 0);
    case Op::le:
      return num(eval(n.a, env).num <= eval(n.b, env).num ? 1 : 0);
    case Op::gt:
      return num(eval(n.a, env).num > eval(n.b, env).num ? 1 : 0);
    case Op::ge:
      return num(eval(n.a, env).num >= eval(n.b, env).num ? 1 : 0);
  }
  return {};
}

}  // namespace rejuv::sim::lineage
