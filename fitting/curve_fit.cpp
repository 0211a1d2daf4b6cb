#include "fitting/curve_fit.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>

namespace rejuv::fitting {

const char* name(Form f) {
  switch (f) {
    case Form::Constant:
      return "constant";
    case Form::Linear:
      return "linear";
    case Form::Exp:
      return "exp";
  }
  return "?";
}

namespace {

constexpr double kAiccTie = 2;  // the usual "within 2 AIC units, no real evidence" rule
constexpr Form kForms[] = {Form::Constant, Form::Linear, Form::Exp};
int coefficients(Form f) { return f == Form::Constant ? 1 : 2; }

double eval(Form f, const std::vector<double>& c, double i) {
  switch (f) {
    case Form::Constant:
      return c[0];
    case Form::Linear:
      return c[0] * i + c[1];
    case Form::Exp:
      return std::exp(c[0] * i + c[1]);
  }
  return 0;
}

Curve to_curve(Form f, const std::vector<double>& c) {
  switch (f) {
    case Form::Constant:
      return Curve::constant(c[0]);
    case Form::Linear:
      return Curve::linear(c[0], c[1]);
    case Form::Exp:
      return Curve::exp(c[0], c[1]);
  }
  return Curve::constant(0);
}

// One piece fitted to some of the sorted points.
struct PieceResult {
  std::vector<double> coef;
  Eigen::MatrixXd cov_unscaled;  // (XᵀX)⁻¹, or (JᵀJ)⁻¹ at the optimum for exp
  double rss = 0;
};

// Least squares of y (or log y) on [i, 1], or on [1] alone for a constant, through the normal
// equations XᵀX β = Xᵀy: X has one or two columns, so they are 2×2 at most and kept fixed-size.
std::optional<PieceResult> linear_ls(const std::vector<double>& i, const std::vector<double>& y,
                                     bool constant, bool log_y = false) {
  const size_t N = i.size();
  auto value = [&](size_t k) { return log_y ? std::log(y[k]) : y[k]; };
  PieceResult r;
  if (constant) {
    double sum = 0;
    for (size_t k = 0; k < N; ++k) sum += value(k);
    const double c = sum / double(N);
    for (size_t k = 0; k < N; ++k) r.rss += (value(k) - c) * (value(k) - c);
    r.coef = {c};
    r.cov_unscaled = Eigen::MatrixXd::Constant(1, 1, 1.0 / double(N));
    return r;
  }
  Eigen::Matrix2d XtX = Eigen::Matrix2d::Zero();
  Eigen::Vector2d Xty = Eigen::Vector2d::Zero();
  for (size_t k = 0; k < N; ++k) {
    const Eigen::Vector2d x(i[k], 1.0);
    XtX += x * x.transpose();
    Xty += x * value(k);
  }
  // A 2×2 system has a closed-form inverse (Eigen's for fixed 2×2); a single distinct i makes it
  // singular.
  if (!(XtX.determinant() > 1e-12 * XtX.trace() * XtX.trace())) return std::nullopt;
  const Eigen::Matrix2d inv = XtX.inverse();
  const Eigen::Vector2d beta = inv * Xty;
  for (size_t k = 0; k < N; ++k) {
    const double e = value(k) - (beta(0) * i[k] + beta(1));
    r.rss += e * e;
  }
  r.coef = {beta(0), beta(1)};
  r.cov_unscaled = inv;
  return r;
}

std::optional<PieceResult> fit_piece(Form f, const std::vector<double>& i,
                                     const std::vector<double>& y) {
  const long N = static_cast<long>(i.size());
  if (N < coefficients(f)) return std::nullopt;
  if (f == Form::Constant) return linear_ls(i, y, true);
  if (f == Form::Linear) return linear_ls(i, y, false);
  // exp: log-linear start, then Gauss–Newton on the residuals of y itself (additive noise).
  if (std::any_of(y.begin(), y.end(), [](double v) { return v <= 0; })) return std::nullopt;
  auto start = linear_ls(i, y, false, /*log_y=*/true);
  if (!start) return std::nullopt;
  const Eigen::Map<const Eigen::VectorXd> Y(y.data(), N), I(i.data(), N);
  Eigen::Vector2d c(start->coef[0], start->coef[1]);
  // Gauss–Newton on the 2×2 normal equations JᵀJ·step = Jᵀr (fixed-size: cheap even unoptimised).
  auto rss_at = [&](const Eigen::Vector2d& cc) {
    double sum = 0;
    for (long k = 0; k < N; ++k) {
      const double r = Y(k) - std::exp(cc(0) * I(k) + cc(1));
      sum += r * r;
    }
    return sum;
  };
  auto normal_equations = [&](const Eigen::Vector2d& cc, Eigen::Matrix2d& JtJ,
                              Eigen::Vector2d& Jtr) {
    JtJ.setZero();
    Jtr.setZero();
    for (long k = 0; k < N; ++k) {
      const double f = std::exp(cc(0) * I(k) + cc(1));
      const Eigen::Vector2d j(I(k) * f, f);
      JtJ += j * j.transpose();
      Jtr += j * (Y(k) - f);
    }
  };
  double rss = rss_at(c);
  Eigen::Matrix2d JtJ;
  Eigen::Vector2d Jtr;
  for (int iter = 0; iter < 50; ++iter) {
    normal_equations(c, JtJ, Jtr);
    if (!(std::abs(JtJ.determinant()) > 0)) break;
    const Eigen::Vector2d step = JtJ.inverse() * Jtr;
    bool improved = false;
    double t = 1;
    for (int half = 0; half < 30; ++half, t *= 0.5) {
      const Eigen::Vector2d next = c + t * step;
      const double r2 = rss_at(next);
      if (std::isfinite(r2) && r2 <= rss) {
        improved = rss - r2 > 1e-12 * rss;
        c = next;
        rss = r2;
        break;
      }
    }
    if (!improved) break;
  }
  normal_equations(c, JtJ, Jtr);
  if (!(std::abs(JtJ.determinant()) > 1e-300)) return std::nullopt;
  PieceResult out;
  out.coef = {c(0), c(1)};
  out.rss = rss;
  out.cov_unscaled = JtJ.inverse();
  return out;
}

struct Sorted {
  std::vector<double> i, y;
  std::vector<size_t> order;  // order[k] = index in the caller's points
};

Sorted sort_points(const Points& pts) {
  Sorted s;
  s.order.resize(pts.size());
  std::iota(s.order.begin(), s.order.end(), 0);
  std::stable_sort(s.order.begin(), s.order.end(),
                   [&](size_t a, size_t b) { return pts.i[a] < pts.i[b]; });
  for (size_t k : s.order) {
    s.i.push_back(pts.i[k]);
    s.y.push_back(pts.y[k]);
  }
  return s;
}

double rss_floor(const Sorted& s) {
  double m = 0;
  for (double v : s.y) m += std::abs(v);
  m = s.y.empty() ? 0 : m / double(s.y.size());
  const double unit = 1e-9 * (m > 0 ? m : 1.0);
  return double(s.y.size()) * unit * unit;
}

void score(CurveFit& f, const Sorted& s) {
  const double N = double(s.y.size());
  const double rss = std::max(f.rss, rss_floor(s));
  const double k = f.k;
  f.has_aicc = N - k - 1 > 0;
  f.aicc = f.has_aicc ? N * std::log(rss / N) + 2 * k + 2 * k * (k + 1) / (N - k - 1) : 0;
}

// Residuals, R², σ and the standard errors, once the pieces are fitted.
void finish(CurveFit& f, const Sorted& s, const std::vector<PieceResult>& results,
            const Points& pts) {
  f.n_points = s.y.size();
  std::vector<double> fitted_sorted(s.y.size());
  for (size_t k = 0; k < s.y.size(); ++k) {
    const Piece& p = (f.pieces.size() == 2 && s.i[k] > f.breakpoint) ? f.pieces[1] : f.pieces[0];
    fitted_sorted[k] = eval(p.form, p.coef, s.i[k]);
  }
  f.fitted.assign(pts.size(), 0);
  f.residuals.assign(pts.size(), 0);
  for (size_t k = 0; k < s.order.size(); ++k) {
    f.fitted[s.order[k]] = fitted_sorted[k];
    f.residuals[s.order[k]] = s.y[k] - fitted_sorted[k];
  }
  const double mean = std::accumulate(s.y.begin(), s.y.end(), 0.0) / double(s.y.size());
  double tss = 0;
  for (double v : s.y) tss += (v - mean) * (v - mean);
  f.r2 = tss > 0 ? 1 - f.rss / tss : 1.0;
  int coefs = 0;
  for (const auto& p : f.pieces) coefs += coefficients(p.form);
  const long dof = static_cast<long>(s.y.size()) - coefs - (f.pieces.size() == 2 ? 1 : 0);
  const double sigma2 = dof > 0 ? f.rss / double(dof) : 0.0;
  f.residual_sd = std::sqrt(sigma2);
  for (size_t p = 0; p < f.pieces.size(); ++p) {
    f.pieces[p].se.clear();
    for (long c = 0; c < results[p].cov_unscaled.rows(); ++c)
      f.pieces[p].se.push_back(dof > 0 ? std::sqrt(sigma2 * results[p].cov_unscaled(c, c)) : NAN);
  }
  if (f.pieces.size() == 1) {
    f.curve = to_curve(f.pieces[0].form, f.pieces[0].coef);
  } else {
    auto a = std::make_shared<const Curve>(to_curve(f.pieces[0].form, f.pieces[0].coef));
    auto b = std::make_shared<const Curve>(to_curve(f.pieces[1].form, f.pieces[1].coef));
    f.curve = Curve::piecewise({{INT_MIN, f.breakpoint, a}, {f.breakpoint + 1, INT_MAX, b}});
  }
}

std::optional<CurveFit> single(const Sorted& s, Form form, const Points& pts) {
  auto r = fit_piece(form, s.i, s.y);
  if (!r) return std::nullopt;
  CurveFit f;
  f.form = name(form);
  f.pieces = {{static_cast<int>(s.i.front()), static_cast<int>(s.i.back()), form, r->coef, {}}};
  f.rss = r->rss;
  f.k = coefficients(form) + 1;
  score(f, s);
  finish(f, s, {*r}, pts);
  return f;
}

// Two pieces of forms a and b, split after every distinct i; the split with the smallest RSS.
std::optional<CurveFit> two_pieces(const Sorted& s, Form a, Form b, const Points& pts) {
  std::optional<CurveFit> best;
  std::vector<PieceResult> best_results;
  for (size_t cut = 1; cut < s.i.size(); ++cut) {
    if (s.i[cut] == s.i[cut - 1]) continue;
    std::vector<double> i1(s.i.begin(), s.i.begin() + long(cut)),
        y1(s.y.begin(), s.y.begin() + long(cut));
    std::vector<double> i2(s.i.begin() + long(cut), s.i.end()),
        y2(s.y.begin() + long(cut), s.y.end());
    auto r1 = fit_piece(a, i1, y1), r2 = fit_piece(b, i2, y2);
    if (!r1 || !r2) continue;
    const double rss = r1->rss + r2->rss;
    if (best && rss >= best->rss) continue;
    CurveFit f;
    f.form = fmt::format("piecewise({}|{})", name(a), name(b));
    f.breakpoint = static_cast<int>(s.i[cut - 1]);
    f.pieces = {{static_cast<int>(i1.front()), static_cast<int>(i1.back()), a, r1->coef, {}},
                {static_cast<int>(i2.front()), static_cast<int>(i2.back()), b, r2->coef, {}}};
    f.rss = rss;
    f.k = coefficients(a) + coefficients(b) + 1 + 1;
    best = f;
    best_results = {*r1, *r2};
  }
  if (!best) return std::nullopt;
  score(*best, s);
  finish(*best, s, best_results, pts);
  return best;
}

bool better(const CurveFit& x, const CurveFit& y) {
  if (x.has_aicc != y.has_aicc) return x.has_aicc;
  if (x.has_aicc) return x.aicc < y.aicc;
  return x.k < y.k;  // no AICc anywhere: the simplest form
}

}  // namespace

CurveFit fit_curve(const Points& pts) {
  if (pts.size() == 0) throw std::invalid_argument("fit_curve: no points");
  const Sorted s = sort_points(pts);
  std::vector<CurveFit> all;
  for (Form f : kForms)
    if (auto c = single(s, f, pts)) all.push_back(*c);
  for (Form a : kForms)
    for (Form b : kForms)
      if (auto c = two_pieces(s, a, b, pts)) all.push_back(*c);
  // Among the forms within kAiccTie of the smallest AICc, the one with the fewest parameters, and
  // of those the first tried (constant, linear, exp, then the piecewise pairs).
  const auto lowest = std::min_element(all.begin(), all.end(), better);  // the constant always fits
  CurveFit best = *lowest;
  if (lowest->has_aicc) {
    auto tied = [&](const CurveFit& c) { return c.has_aicc && c.aicc <= lowest->aicc + kAiccTie; };
    int k_min = lowest->k;
    for (const auto& c : all)
      if (tied(c)) k_min = std::min(k_min, c.k);
    best = *std::find_if(all.begin(), all.end(),
                         [&](const CurveFit& c) { return tied(c) && c.k == k_min; });
  }
  std::stable_sort(all.begin(), all.end(), better);
  for (const auto& c : all) {
    std::string label = c.form;
    if (c.pieces.size() == 2) label += fmt::format("@{}", c.breakpoint);
    best.candidates.push_back({label, c.k, c.rss, c.aicc, c.has_aicc});
  }
  return best;
}

CurveFit refit(const Points& pts, const CurveFit& like) {
  const Sorted s = sort_points(pts);
  std::optional<CurveFit> f = like.pieces.size() == 2
                                  ? two_pieces(s, like.pieces[0].form, like.pieces[1].form, pts)
                                  : single(s, like.pieces[0].form, pts);
  if (!f) f = single(s, Form::Constant, pts);  // e.g. a resample made an exp piece non-positive
  return *f;
}

nlohmann::json to_json(const CurveFit& f) {
  nlohmann::json pieces = nlohmann::json::array();
  for (const auto& p : f.pieces)
    pieces.push_back(
        {{"from", p.from}, {"to", p.to}, {"form", name(p.form)}, {"coef", p.coef}, {"se", p.se}});
  nlohmann::json cands = nlohmann::json::array();
  for (const auto& c : f.candidates) {
    nlohmann::json j = {{"form", c.form}, {"k", c.k}, {"rss", c.rss}};
    j["aicc"] = c.has_aicc ? nlohmann::json(c.aicc) : nlohmann::json(nullptr);
    cands.push_back(j);
  }
  nlohmann::json j = {{"form", f.form},
                      {"curve", f.curve.to_json()},
                      {"pieces", pieces},
                      {"points", f.n_points},
                      {"k", f.k},
                      {"rss", f.rss},
                      {"r2", f.r2},
                      {"residual_sd", f.residual_sd},
                      {"criterion", "AICc"},
                      {"candidates", cands}};
  j["aicc"] = f.has_aicc ? nlohmann::json(f.aicc) : nlohmann::json(nullptr);
  if (f.pieces.size() == 2) j["breakpoint"] = f.breakpoint;
  return j;
}

}  // namespace rejuv::fitting
