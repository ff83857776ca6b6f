#include "train/checkpointrecords.h"

#include "trainbench/common/error.h"

#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <map>
#include <memory>
#include <regex>
#include <sstream>

namespace trainbench {

namespace {

/// What the reader keeps of a pickled value: strings, integers and tuples; anything else is
/// an opaque object.
struct Value
{
    enum class Kind { Other, Text, Integer, Tuple, Mark } kind = Kind::Other;
    std::string text;
    int64_t integer = 0;
    std::vector<Value> items;
};

int64_t elementSizeOf(const std::string& storageClass)
{
    static const std::map<std::string, int64_t> sizes = {
        {"torch FloatStorage", 4},        {"torch DoubleStorage", 8},
        {"torch HalfStorage", 2},         {"torch BFloat16Storage", 2},
        {"torch LongStorage", 8},         {"torch IntStorage", 4},
        {"torch ShortStorage", 2},        {"torch CharStorage", 1},
        {"torch ByteStorage", 1},         {"torch BoolStorage", 1},
        {"torch ComplexFloatStorage", 8}, {"torch ComplexDoubleStorage", 16}};
    const auto it = sizes.find(storageClass);
    return it == sizes.end() ? 0 : it->second;
}

/// True for a line of the class declarations libtorch writes for a saved archive's modules: the
/// class line, the parameter and buffer lists, and attributes of plain types. libtorch compiles
/// these records as TorchScript when it loads the file, and its parser crashes on some damaged
/// ones (a mangled `__parameters__` line is read as a class constant), so nothing else gets to it.
bool isDeclarationLine(const std::string& line)
{
    static const std::regex allowed(
        R"(class Module\(Module\):)"
        R"(|  __(parameters|buffers)__ = \[("[A-Za-z0-9_./-]*", )*\])"
        R"(|  __annotations__ = \[\])"
        R"(|  __annotations__\["[A-Za-z0-9_./-]*"\] = )"
        R"((str|int|float|bool|Tensor|__torch__(\.___torch_mangle_[0-9]+)?\.Module))"
        R"(|  [A-Za-z_][A-Za-z0-9_]* : (Tensor|str|int|float|bool|__torch__(\.___torch_mangle_[0-9]+)?\.Module))"
        R"(|)");
    try {
        return line.size() < 4096 && std::regex_match(line, allowed);
    } catch (const std::regex_error&) { // an implementation's complexity limit: not ours
        return false;
    }
}

/// A little-endian unsigned integer of `n` bytes at `p`.
uint64_t littleEndian(const unsigned char* p, int n)
{
    uint64_t value = 0;
    for (int i = n - 1; i >= 0; --i)
        value = (value << 8) | p[i];
    return value;
}

} // namespace

std::vector<CheckpointRecords::Storage> CheckpointRecords::storages(const std::string& pickle,
                                                                    bool* parsed, bool* damaged)
{
    bool cut = false; // an opcode's argument runs past the end, or points far beyond it
    if (damaged)
        *damaged = false;
    std::vector<Storage> found;
    std::vector<Value> stack;
    std::map<uint64_t, Value> memo;
    const auto* data = reinterpret_cast<const unsigned char*>(pickle.data());
    const size_t size = pickle.size();
    size_t at = 0;
    bool ok = false;
    const auto fail = [&] {
        *parsed = false;
        if (damaged)
            *damaged = cut;
        return found;
    };
    const auto need = [&](size_t n) {
        cut = cut || n > size - at;
        return !cut;
    };
    const auto pop = [&]() {
        Value v;
        if (!stack.empty()) {
            v = std::move(stack.back());
            stack.pop_back();
        }
        return v;
    };
    const auto popToMark = [&]() {
        std::vector<Value> items;
        while (!stack.empty() && stack.back().kind != Value::Kind::Mark) {
            items.insert(items.begin(), std::move(stack.back()));
            stack.pop_back();
        }
        if (!stack.empty())
            stack.pop_back(); // the mark
        return items;
    };
    const auto text = [&](size_t n) {
        Value v;
        v.kind = Value::Kind::Text;
        v.text.assign(reinterpret_cast<const char*>(data + at), n);
        at += n;
        stack.push_back(std::move(v));
    };
    const auto integer = [&](int64_t n) {
        Value v;
        v.kind = Value::Kind::Integer;
        v.integer = n;
        stack.push_back(std::move(v));
    };
    const auto tuple = [&](std::vector<Value> items) {
        Value v;
        v.kind = Value::Kind::Tuple;
        v.items = std::move(items);
        stack.push_back(std::move(v));
    };
    const auto other = [&]() { stack.emplace_back(); };
    while (at < size) {
        const unsigned char op = data[at++];
        switch (op) {
        case 0x80: // PROTO
            at += 1;
            break;
        case 0x95: // FRAME
            at += 8;
            break;
        case '.': // STOP
            ok = true;
            at = size;
            break;
        case 'c': { // GLOBAL "module\nname\n"
            const void* first = std::memchr(data + at, '\n', size - at);
            if (!first)
                return fail();
            const size_t a = size_t(static_cast<const unsigned char*>(first) - data);
            const void* second = std::memchr(data + a + 1, '\n', size - a - 1);
            if (!second)
                return fail();
            const size_t b = size_t(static_cast<const unsigned char*>(second) - data);
            Value v;
            v.kind = Value::Kind::Text;
            v.text = std::string(reinterpret_cast<const char*>(data + at), a - at) + " " +
                     std::string(reinterpret_cast<const char*>(data + a + 1), b - a - 1);
            stack.push_back(std::move(v));
            at = b + 1;
            break;
        }
        case 0x93: { // STACK_GLOBAL
            Value name = pop(), module = pop();
            Value v;
            v.kind = Value::Kind::Text;
            v.text = module.text + " " + name.text;
            stack.push_back(std::move(v));
            break;
        }
        case 'X': // BINUNICODE
        case 'B': // BINBYTES
            if (!need(4))
                return fail();
            {
                const size_t n = size_t(littleEndian(data + at, 4));
                at += 4;
                if (!need(n))
                    return fail();
                text(n);
            }
            break;
        case 0x8c: // SHORT_BINUNICODE
        case 'C':  // SHORT_BINBYTES
            if (!need(1))
                return fail();
            {
                const size_t n = data[at++];
                if (!need(n))
                    return fail();
                text(n);
            }
            break;
        case 'K': // BININT1
            if (!need(1))
                return fail();
            integer(data[at]);
            at += 1;
            break;
        case 'M': // BININT2
            if (!need(2))
                return fail();
            integer(int64_t(littleEndian(data + at, 2)));
            at += 2;
            break;
        case 'J': // BININT (signed)
            if (!need(4))
                return fail();
            integer(int32_t(uint32_t(littleEndian(data + at, 4))));
            at += 4;
            break;
        case 0x8a: { // LONG1
            if (!need(1))
                return fail();
            const size_t n = data[at++];
            if (!need(n) || n > 8)
                return fail();
            uint64_t value = littleEndian(data + at, int(n));
            if (n > 0 && n < 8 && (data[at + n - 1] & 0x80))
                value |= ~uint64_t(0) << (8 * n); // sign-extend
            integer(int64_t(value));
            at += n;
            break;
        }
        case 'G': // BINFLOAT
            at += 8;
            other();
            break;
        case 'N':  // NONE
        case 0x88: // NEWTRUE
        case 0x89: // NEWFALSE
        case ')':  // EMPTY_TUPLE
        case '}':  // EMPTY_DICT
        case ']':  // EMPTY_LIST
            if (op == ')')
                tuple({});
            else
                other();
            break;
        case '(': // MARK
            stack.push_back(Value{Value::Kind::Mark, {}, 0, {}});
            break;
        case 't': // TUPLE
            tuple(popToMark());
            break;
        case 0x85:   // TUPLE1
        case 0x86:   // TUPLE2
        case 0x87: { // TUPLE3
            std::vector<Value> items(size_t(op - 0x84));
            for (size_t i = items.size(); i-- > 0;)
                items[i] = pop();
            tuple(std::move(items));
            break;
        }
        case 'q': // BINPUT
            if (!need(1) || stack.empty())
                return fail();
            memo[data[at++]] = stack.back();
            break;
        case 'r': // LONG_BINPUT
            if (!need(4) || stack.empty())
                return fail();
            // The pickler numbers its memo from 0, one entry per value written; an index
            // beyond the file's size would only make libtorch's memo table huge.
            if (littleEndian(data + at, 4) > size) {
                cut = true;
                break;
            }
            memo[littleEndian(data + at, 4)] = stack.back();
            at += 4;
            break;
        case 0x94: // MEMOIZE
            if (stack.empty())
                return fail();
            memo[memo.size()] = stack.back();
            break;
        case 'h':   // BINGET
        case 'j': { // LONG_BINGET
            const int n = op == 'h' ? 1 : 4;
            if (!need(size_t(n)))
                return fail();
            const auto it = memo.find(littleEndian(data + at, n));
            at += size_t(n);
            if (it == memo.end())
                return fail();
            stack.push_back(it->second);
            break;
        }
        case 'Q': { // BINPERSID: ('storage', class, key, location, numel)
            const Value id = pop();
            if (id.kind == Value::Kind::Tuple && id.items.size() >= 5 &&
                id.items[0].text == "storage" && id.items[2].kind == Value::Kind::Text &&
                id.items[4].kind == Value::Kind::Integer) {
                Storage s;
                s.key = id.items[2].text;
                s.elementSize = elementSizeOf(id.items[1].text);
                s.elements = id.items[4].integer;
                found.push_back(std::move(s));
            }
            other();
            break;
        }
        case 'R':    // REDUCE: callable, args -> object
        case 0x81: { // NEWOBJ: class, args -> object
            pop();
            pop();
            other();
            break;
        }
        case 'b': // BUILD: object, state -> object
            pop();
            break;
        case 's': // SETITEM
            pop();
            pop();
            break;
        case 'a': // APPEND
            pop();
            break;
        case 'u': // SETITEMS
        case 'e': // APPENDS
            popToMark();
            break;
        default:
            return fail(); // an opcode this reader does not follow
        }
        if (cut)
            return fail();
    }
    *parsed = ok;
    return found;
}

void CheckpointRecords::check(const std::string& path)
{
    std::unique_ptr<caffe2::serialize::PyTorchStreamReader> reader;
    std::string pickle;
    try {
        reader = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
        if (!reader->hasRecord("data.pkl"))
            return;
        auto [bytes, size] = reader->getRecord("data.pkl");
        pickle.assign(static_cast<const char*>(bytes.get()), size);
    } catch (const std::exception&) {
        return; // not a zip archive libtorch reads: its loader says so
    }
    std::vector<std::string> records;
    try {
        records = reader->getAllRecords();
    } catch (const std::exception&) {
        throw Error(path + ": damaged checkpoint: its table of contents is unreadable");
    }
    for (const std::string& name : records) {
        if (name.rfind("code/", 0) != 0 || name.size() < 3 ||
            name.compare(name.size() - 3, 3, ".py") != 0)
            continue;
        std::string code;
        try {
            auto [bytes, size] = reader->getRecord(name);
            code.assign(static_cast<const char*>(bytes.get()), size);
        } catch (const std::exception&) {
            throw Error(path + ": damaged checkpoint: record '" + name + "' is unreadable");
        }
        std::istringstream lines(code);
        std::string line;
        for (int number = 1; std::getline(lines, line); ++number)
            if (!isDeclarationLine(line))
                throw Error(path + ": not a Trainbench checkpoint, or a damaged one: record '" +
                            name + "' line " + std::to_string(number) +
                            " is code, not a module declaration (a TorchScript model?)");
    }
    bool parsed = false, damaged = false;
    const auto declared = storages(pickle, &parsed, &damaged);
    if (damaged) // libtorch's unpickler would allocate what the damaged lengths say first
        throw Error(path + ": damaged checkpoint: its metadata (data.pkl) is cut short or garbled");
    if (!parsed)
        return;
    for (const Storage& s : declared) {
        if (s.elementSize == 0)
            continue;
        const std::string record = "data/" + s.key;
        size_t stored = 0;
        try {
            if (!reader->hasRecord(record))
                throw Error(path + ": damaged checkpoint: tensor data '" + s.key + "' is missing");
            stored = std::get<1>(reader->getRecord(record));
        } catch (const Error&) {
            throw;
        } catch (const std::exception&) {
            throw Error(path + ": damaged checkpoint: tensor data '" + s.key + "' is unreadable");
        }
        if (s.elements < 0 || s.elements > int64_t(stored) / s.elementSize)
            throw Error(path + ": damaged checkpoint: tensor data '" + s.key + "' holds " +
                        std::to_string(stored) + " bytes, but the file declares " +
                        std::to_string(s.elements) + " values of " + std::to_string(s.elementSize) +
                        " bytes");
    }
}

} // namespace trainbench
