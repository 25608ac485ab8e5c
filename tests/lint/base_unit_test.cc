// base-unit: the first unit segment of the name decides; prefixed and non-base units fire.
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

std::string Gauge(const std::string& name) {
  return "# HELP " + name + " x\n# TYPE " + name + " gauge\n" + name + " 1\n";
}

TEST(BaseUnit, Table) {
  RunCases(
      "base-unit",
      {
          {"base unit", Gauge("a_seconds"), {}},
          {"milliseconds",
           Gauge("a_milliseconds"),
           {"a_milliseconds use base unit \"seconds\" instead of \"milliseconds\""}},
          {"hours mid-name",
           Gauge("a_hours_x"),
           {"a_hours_x use base unit \"seconds\" instead of \"hours\""}},
          {"kilobytes",
           Gauge("disk_kilobytes"),
           {"disk_kilobytes use base unit \"bytes\" instead of \"kilobytes\""}},
          {"kilometres",
           Gauge("d_kilometres"),
           {"d_kilometres use base unit \"metres\" instead of \"kilometres\""}},
          {"bits", Gauge("net_bits"), {"net_bits use base unit \"bytes\" instead of \"bits\""}},
          {"fahrenheit",
           Gauge("t_fahrenheit"),
           {"t_fahrenheit use base unit \"celsius\" instead of \"fahrenheit\""}},
          {"kelvins",
           Gauge("t_kelvins"),
           {"t_kelvins use base unit \"kelvin\" instead of \"kelvins\""}},
          {"kelvin is base", Gauge("t_kelvin"), {}},
          {"pounds", Gauge("w_pounds"), {"w_pounds use base unit \"grams\" instead of \"pounds\""}},
          {"calories",
           Gauge("e_calories"),
           {"e_calories use base unit \"joules\" instead of \"calories\""}},
          {"prefixed non-base",
           Gauge("a_kilominutes"),
           {"a_kilominutes use base unit \"seconds\" instead of \"kilominutes\""}},
          {"first segment decides (base first)", Gauge("a_seconds_milliseconds"), {}},
          {"first segment decides (non-base first)",
           Gauge("a_hours_seconds"),
           {"a_hours_seconds use base unit \"seconds\" instead of \"hours\""}},
          {"case-sensitive", Gauge("a_Milliseconds"), {}},
          {"whole segment only", Gauge("thermometers"), {}},
          {"mebi is not a prefix", Gauge("a_mebibytes"), {}},
          {"mibi typo is",
           Gauge("a_mibibytes"),
           {"a_mibibytes use base unit \"bytes\" instead of \"mibibytes\""}},
          {"whole name",
           Gauge("minutes"),
           {"minutes use base unit \"seconds\" instead of \"minutes\""}},
          {"untyped too",
           "# HELP a_days x\na_days 1\n",
           {"a_days use base unit \"seconds\" instead of \"days\""}},
          {"no unit", Gauge("queue_depth"), {}},
      });
}

}  // namespace
}  // namespace promtool::lint::testing
