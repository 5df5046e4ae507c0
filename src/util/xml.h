// Text for XML/SVG documents written by genobird's plots.
#pragma once

#include <string>

namespace genobird {

// `text` with '<', '>' and '&' escaped, for SVG text and attribute values.
inline std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

}  // namespace genobird
