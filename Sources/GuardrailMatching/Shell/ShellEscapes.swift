// Backslash escapes as bash decodes them inside ANSI-C quoting (`$'…'`), and as `printf` and `echo -e` do.

enum ShellEscapes {
    /// Decodes the escape whose backslash is just before `index` (so `source[index]` is the escape letter), appends
    /// the decoded bytes to `output` and moves `index` past the escape. Unknown escapes are kept as written.
    static func decode(
        _ source: UnsafeBufferPointer<UInt8>, at index: inout Int, end: Int, into output: inout ByteArena
    ) {
        guard index < end else {
            output.append(0x5C)
            return
        }
        let letter = source[index]
        index += 1
        switch letter {
        case 0x61: output.append(0x07)  // \a
        case 0x62: output.append(0x08)  // \b
        case 0x65, 0x45: output.append(0x1B)  // \e \E
        case 0x66: output.append(0x0C)  // \f
        case 0x6E: output.append(0x0A)  // \n
        case 0x72: output.append(0x0D)  // \r
        case 0x74: output.append(0x09)  // \t
        case 0x76: output.append(0x0B)  // \v
        case 0x5C, 0x27, 0x22, 0x3F: output.append(letter)  // \\ \' \" \?
        case 0x30...0x37:  // \NNN octal, one to three digits
            var value = UInt32(letter - 0x30)
            var digits = 1
            while digits < 3, index < end, source[index] &- 0x30 < 8 {
                value = value * 8 + UInt32(source[index] - 0x30)
                index += 1
                digits += 1
            }
            output.append(UInt8(truncatingIfNeeded: value))
        case 0x78:  // \xHH
            if let value = hexNumber(source, at: &index, end: end, maxDigits: 2) {
                output.append(UInt8(truncatingIfNeeded: value))
            } else {
                output.append(0x5C)
                output.append(letter)
            }
        case 0x75, 0x55:  // \uHHHH \UHHHHHHHH
            if let value = hexNumber(source, at: &index, end: end, maxDigits: letter == 0x75 ? 4 : 8) {
                appendUTF8(value, to: &output)
            } else {
                output.append(0x5C)
                output.append(letter)
            }
        case 0x63:  // \cX control character
            if index < end {
                output.append(source[index] & 0x1F)
                index += 1
            } else {
                output.append(0x5C)
                output.append(letter)
            }
        default:
            output.append(0x5C)
            output.append(letter)
        }
    }

    /// Decodes every backslash escape of `bytes` (as `printf` and `echo -e` do). Decoding never lengthens the text.
    static func decodeAll(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: source.count + 1) { buffer, initializedCount in
                var output = ByteArena(base: buffer.baseAddress!, capacity: buffer.count)
                var index = 0
                while index < source.count {
                    let byte = source[index]
                    index += 1
                    if byte == 0x5C {
                        decode(source, at: &index, end: source.count, into: &output)
                    } else {
                        output.append(byte)
                    }
                }
                initializedCount = output.count
            }
        }
    }

    private static func hexNumber(
        _ source: UnsafeBufferPointer<UInt8>, at index: inout Int, end: Int, maxDigits: Int
    ) -> UInt32? {
        var value: UInt32 = 0
        var digits = 0
        while digits < maxDigits, index < end, let digit = ByteClass.hexValue(source[index]) {
            value = value &* 16 &+ digit
            index += 1
            digits += 1
        }
        return digits == 0 ? nil : value
    }

    /// Appends the UTF-8 encoding of a Unicode scalar value; invalid values are dropped.
    static func appendUTF8(_ value: UInt32, to output: inout ByteArena) {
        switch value {
        case 0..<0x80:
            output.append(UInt8(value))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | (value >> 6)))
            output.append(UInt8(0x80 | (value & 0x3F)))
        case 0xD800..<0xE000:
            return
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | (value >> 12)))
            output.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (value & 0x3F)))
        case 0x10000..<0x110000:
            output.append(UInt8(0xF0 | (value >> 18)))
            output.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (value & 0x3F)))
        default:
            return
        }
    }
}
