#!/usr/bin/env python3
"""Each file includes the standard header of every standard name it uses (CTest std_includes).

Why: standard headers include each other differently per library and version. g++ 12's <string>
brings <cstdint>, g++ 13's does not, so `uint8_t` after <string> alone builds here and stops the
build on a newer toolchain (issue 21). No compiler we can run catches that (clang's libc++ 14 and
16 also pull <cstdint> in through <string>), so this checks the rule itself: a name from the table
below needs its header (or an equivalent listed in ALSO) included by the file itself, or, for a
.cpp, by its own header (foo.cpp -> foo.h). Project headers do not count: they may change.
Names the table does not list are left to the compilers (g++ and clang + libc++, tools/ci/).
Usage: std_includes.py PATH...  (files or folders; exit 1 with one line per finding)
"""
import os
import re
import sys

# header -> regex of names that need it (std:: qualified, except the C names used bare)
NAMES = {
    "cstdint": r"\b(std::)?(u?int(8|16|32|64)_t|u?intptr_t|U?INT(8|16|32|64)_(MAX|MIN)|SIZE_MAX)\b",
    "cstddef": r"\b(std::)?(size_t|ptrdiff_t|nullptr_t|max_align_t)\b|\bstd::byte\b",
    "string": r"\bstd::(string|to_string|stoi|stol|stoll|stoul|stoull|stof|stod|getline)\b",
    "string_view": r"\bstd::string_view\b",
    "vector": r"\bstd::vector\b",
    "map": r"\bstd::(map|multimap)\b",
    "set": r"\bstd::(set|multiset)\b",
    "unordered_map": r"\bstd::unordered_map\b",
    "unordered_set": r"\bstd::unordered_set\b",
    "array": r"\bstd::array\b",
    "deque": r"\bstd::deque\b",
    "list": r"\bstd::list\b",
    "queue": r"\bstd::(queue|priority_queue)\b",
    "bitset": r"\bstd::bitset\b",
    "memory": r"\bstd::(unique_ptr|shared_ptr|make_unique|make_shared|weak_ptr|addressof)\b",
    "utility": r"\bstd::(move|swap|pair|make_pair|forward|exchange|declval)\b",
    "algorithm": r"\bstd::(min|max|minmax|sort|stable_sort|fill|fill_n|copy|copy_n|copy_if|find|"
                 r"find_if|reverse|clamp|max_element|min_element|minmax_element|count|count_if|"
                 r"any_of|all_of|none_of|equal|transform|remove_if|unique|lower_bound|upper_bound|"
                 r"nth_element|partial_sort|rotate|shuffle|for_each|mismatch|search)\b",
    "numeric": r"\bstd::(accumulate|iota|inner_product|partial_sum|gcd|lcm|reduce)\b",
    "cmath": r"\bstd::(sqrt|exp|exp2|log|log10|log2|pow|fabs|isfinite|isnan|isinf|floor|ceil|round|"
             r"lround|llround|tanh|sin|cos|atan2|erf|fmax|fmin|nextafter|hypot|expm1|log1p|trunc|"
             r"fma|ldexp|frexp|copysign|signbit|cbrt)\b",
    "cstring": r"\bstd::(memcpy|memset|memcmp|memmove|memchr|strlen|strcmp|strncmp|strchr|strrchr|"
               r"strerror|strstr|strncpy)\b",
    "cstdio": r"\bstd::(printf|fprintf|snprintf|vsnprintf|fopen|fclose|fread|fwrite|fflush|puts|"
              r"fputs|fputc|FILE|sscanf|remove|rename|fseek|ftell|perror|fgets)\b",
    "cstdlib": r"\bstd::(getenv|abort|exit|strtol|strtod|strtof|strtoul|strtoll|strtoull|malloc|"
               r"calloc|realloc|free|atoi|atof|_Exit|system|qsort|quick_exit|llabs)\b",
    "functional": r"\bstd::(function|ref|cref|hash|less|greater|plus|invoke|bind)\b",
    "thread": r"\bstd::(thread|this_thread)\b",
    "mutex": r"\bstd::(mutex|lock_guard|unique_lock|scoped_lock|recursive_mutex|once_flag|"
             r"call_once|try_to_lock|defer_lock|adopt_lock)\b",
    "condition_variable": r"\bstd::condition_variable(_any)?\b",
    "atomic": r"\bstd::(atomic\w*|memory_order\w*)\b",
    "chrono": r"\bstd::chrono\b",
    "optional": r"\bstd::(optional|nullopt|make_optional)\b",
    "variant": r"\bstd::(variant|visit|get_if|holds_alternative|monostate)\b",
    "tuple": r"\bstd::(tuple|make_tuple|tie|apply|tuple_size)\b",
    "limits": r"\bstd::numeric_limits\b",
    "stdexcept": r"\bstd::(runtime_error|invalid_argument|out_of_range|logic_error|length_error|"
                 r"overflow_error|range_error|domain_error)\b",
    "exception": r"\bstd::(exception|exception_ptr|current_exception|rethrow_exception|terminate|"
                 r"uncaught_exceptions|make_exception_ptr|nested_exception)\b",
    "sstream": r"\bstd::(ostringstream|istringstream|stringstream)\b",
    "fstream": r"\bstd::(ifstream|ofstream|fstream)\b",
    "iostream": r"\bstd::(cout|cerr|cin|clog)\b",
    "ostream": r"\bstd::(ostream|endl|flush)\b",
    "istream": r"\bstd::istream\b",
    "iomanip": r"\bstd::(setprecision|setw|setfill|put_time|quoted)\b",
    "random": r"\bstd::(mt19937\w*|\w+_distribution|random_device|minstd_rand\w*)\b",
    "type_traits": r"\bstd::(is_same\w*|enable_if\w*|conditional\w*|decay_t|decay|remove_\w+|"
                   r"is_floating_point\w*|is_integral\w*|is_trivially\w*|underlying_type\w*|"
                   r"integral_constant|true_type|false_type|is_arithmetic\w*|is_signed\w*|"
                   r"is_unsigned\w*|is_pointer\w*|common_type\w*)\b",
    "initializer_list": r"\bstd::initializer_list\b",
    "iterator": r"\bstd::(back_inserter|distance|next|prev|advance|istreambuf_iterator|"
                r"ostreambuf_iterator|make_move_iterator|reverse_iterator)\b",
    "filesystem": r"\bstd::filesystem\b",
    "cstdarg": r"\b(std::)?(va_list|va_start|va_end|va_copy)\b",
    "csignal": r"\bstd::(signal|raise|sig_atomic_t)\b",
    "cerrno": r"\berrno\b",
    "cassert": r"\bassert\s*\(",
    "climits": r"\b(INT_MAX|INT_MIN|CHAR_BIT|LONG_MAX|LONG_MIN|UINT_MAX|LLONG_MAX)\b",
    "cfloat": r"\b(FLT_MAX|FLT_MIN|FLT_EPSILON|DBL_MAX|DBL_MIN|DBL_EPSILON|FLT_DIG)\b",
    "future": r"\bstd::(future|promise|async|packaged_task)\b",
    "cctype": r"\bstd::(isdigit|isspace|isalpha|isalnum|tolower|toupper|isprint|isxdigit|isupper|"
              r"islower|ispunct)\b",
    "ctime": r"\bstd::(time_t|time|localtime|gmtime|strftime|tm|mktime|difftime)\b",
}
# Headers that the standard guarantees to provide the same names (or the C forms of them).
ALSO = {
    "cstdint": ["stdint.h", "inttypes.h", "cinttypes"],
    "cstddef": ["stddef.h", "cstdio", "cstring", "cstdlib", "ctime", "cwchar", "stdio.h",
                "string.h", "stdlib.h", "time.h"],
    "cstdio": ["stdio.h"], "cstring": ["string.h"], "cstdlib": ["stdlib.h"], "cmath": ["math.h"],
    "cerrno": ["errno.h"], "csignal": ["signal.h"], "cassert": ["assert.h"],
    "climits": ["limits.h"], "cfloat": ["float.h"], "cstdarg": ["stdarg.h"],
    "cctype": ["ctype.h"], "ctime": ["time.h"],
    "ostream": ["iostream", "sstream", "fstream"], "istream": ["iostream", "sstream", "fstream"],
    "iterator": ["array", "deque", "list", "map", "set", "string", "string_view",
                 "unordered_map", "unordered_set", "vector"],
    "utility": ["map", "unordered_map"],  # std::pair: <map> is specified to include <utility>...
    "exception": ["stdexcept"],           # ...and <stdexcept> to declare std::exception's bases
    "initializer_list": ["array", "deque", "list", "map", "set", "string", "unordered_map",
                         "unordered_set", "vector", "utility", "algorithm"],
}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)
SOURCES = (".cpp", ".cc", ".h", ".hpp", ".cu", ".cuh")


def code_only(text):
    """Comments and string/char literals blanked, so prose never counts as use."""
    text = re.sub(r"//[^\n]*|/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r'R"(\w*)\(.*?\)\1"', '""', text, flags=re.S)
    text = re.sub(r'"(\\.|[^"\\\n])*"', '""', text)
    return re.sub(r"'(\\.|[^'\\\n])+'", "''", text)


def own_header(path):
    base, ext = os.path.splitext(path)
    if ext not in (".cpp", ".cc", ".cu"):
        return None
    for e in (".h", ".hpp", ".cuh"):
        if os.path.exists(base + e):
            return base + e
    return None


def findings(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    included = set(INCLUDE.findall(text))
    own = own_header(path)
    if own:
        included |= set(INCLUDE.findall(open(own, encoding="utf-8", errors="replace").read()))
    body = code_only(text)
    header = not path.endswith((".cpp", ".cc", ".cu"))
    for std, rx in NAMES.items():
        # size_t and friends: every .cpp here reaches them through its own or a core header
        # (and <cstdint>/<cstdio>... provide them); headers must say it themselves.
        if std == "cstddef" and not header:
            continue
        m = re.search(rx, body)
        if m and not any(h in included for h in [std] + ALSO.get(std, [])):
            line = body.count("\n", 0, m.start()) + 1
            yield f"{path}:{line}: uses {m.group(0)} without #include <{std}>"


def files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in os.walk(p):
                for n in sorted(names):
                    if n.endswith(SOURCES):
                        yield os.path.join(root, n)
        else:
            yield p


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    bad = [f for p in files(argv[1:]) for f in findings(p)]
    for f in bad:
        print(f)
    n = len(list(files(argv[1:])))
    print(f"std_includes: {n} files, {len(bad)} missing standard includes")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
