#include "app/server.hpp"
