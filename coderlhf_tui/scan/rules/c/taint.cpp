#include <string>

std::string skin_path(const std::string &base, const std::string &skinName) {
    // ruleid: c-taint-path-from-input
    return base + "/" + skinName;
}

std::string skin_path_safe(const std::string &base, const std::string &count) {
    // ok: c-taint-path-from-input
    return base + "/skins";
}
