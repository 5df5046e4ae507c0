// ROC and precision-recall curves as a standalone SVG picture (no dependencies, opens in any browser).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "train/metrics.h"

namespace genobird::train {

struct NamedCurve {
  std::string name;  // shown in the legend with `note`, e.g. "promoter (AUROC 0.981)"
  std::vector<CurvePoint> points;
};

// One picture of curves in the unit square; `diagonal` draws the chance line of a ROC plot. With more than
// 12 curves the legend is left out and lines are drawn thin and translucent.
std::string curves_svg(const std::string& title, const std::string& x_label, const std::string& y_label,
                       const std::vector<NamedCurve>& curves, bool diagonal);

}  // namespace genobird::train
