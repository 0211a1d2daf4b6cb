#pragma once
// Least-squares fits of per-VM points (i, y) to the curve forms models/curve.hpp knows, the way
// Table 1 of seed 003 was obtained ("実験結果を基に関数フィッティングを行った", §4.2):
//   constant c; linear a·i + b; exp e^(a·i + b) (log-linear start, then Gauss–Newton on y itself);
//   piecewise: two pieces split after a breakpoint i = k, each piece constant, linear or exp
//   (Table 1 has "22 (i = 2), e^(−0.71i+5.7) (i > 2)" and "50 (i < 6), 34 (i ≥ 6)"), every k tried.
// The form is chosen by the smallest AICc (Hurvich & Tsai's small-sample AIC, Gaussian errors):
//   AICc = N ln(RSS/N) + 2k + 2k(k+1)/(N − k − 1),  k = coefficients + breakpoints + 1 (σ²),
// with RSS floored at N·(1e-9·mean|y|)² so that exact data ties. Forms within 2 of the smallest
// AICc are taken as equally supported: of those, the one with the fewest parameters wins, and among
// equals the first in the order constant, linear, exp, piecewise (so a linear M(i), which an exp
// matches to within the noise over i = 1..11, stays linear as in Table 1). A candidate with N − k −
// 1 ≤ 0 has no AICc and is not chosen (unless nothing else fits: then the constant).
#include <string>
#include <vector>

#include "models/curve.hpp"

namespace rejuv::fitting {

struct Points {
  std::vector<int> i;
  std::vector<double> y;
  size_t size() const { return i.size(); }
  void add(int k, double v) {
    i.push_back(k);
    y.push_back(v);
  }
};

enum class Form { Constant, Linear, Exp };
const char* name(Form f);

struct Piece {
  int from = 0, to = 0;  // the i range of the data it was fitted on (inclusive)
  Form form = Form::Constant;
  std::vector<double> coef;  // {c} or {a, b}
  std::vector<double> se;    // standard errors of coef, from the pooled residual variance
};

struct Candidate {
  std::string form;  // "linear", "piecewise(constant|exp)@2" …
  int k = 0;
  double rss = 0, aicc = 0;
  bool has_aicc = false;
};

struct CurveFit {
  Curve curve = Curve::constant(0);  // what goes into the parameter file
  std::string form;                  // "constant", "linear", "exp" or "piecewise(A|B)"
  std::vector<Piece> pieces;         // one, or two for piecewise
  int breakpoint = 0;                // piecewise: the last i of the first piece
  int k = 0;                         // parameters counted by AICc
  size_t n_points = 0;
  double rss = 0, r2 = 0, residual_sd = 0, aicc = 0;
  bool has_aicc = false;
  std::vector<double> fitted, residuals;  // in the order of the points
  std::vector<Candidate> candidates;      // every form tried, best first
};

// Fits every candidate form and keeps the best by AICc. Needs at least one point.
CurveFit fit_curve(const Points& pts);
// Refits the form `like` chose (and its piece forms; the breakpoint is searched again) to new
// points at the same i — what the bootstrap does with each resample.
CurveFit refit(const Points& pts, const CurveFit& like);

nlohmann::json to_json(const CurveFit& f);

}  // namespace rejuv::fitting
