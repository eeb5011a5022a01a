#include "dangpli/version.hpp"

namespace dangpli {

const char* version() noexcept { return DANGPLI_VERSION_STRING; }

}  // namespace dangpli
