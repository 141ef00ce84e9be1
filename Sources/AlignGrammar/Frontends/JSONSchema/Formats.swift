// Formats: JSON Schema `format` values as regular languages over the decoded string (RFC 3339 date,
// time, date-time and duration; RFC 5321-style email; RFC 1123 hostname; RFC 2673/4291 ipv4/ipv6;
// RFC 4122 uuid; RFC 3986 uri). Each is sound (never admits an invalid value) and may be stricter
// than the RFC where exactness would cost a lot: no leap seconds, no quoted email local parts,
// no IPv6 zone ids, hostnames without "--" at label positions 3–4 (reserved for IDNA).

import Foundation

enum Formats {
    static let supported = ["date", "time", "date-time", "duration", "email", "hostname", "ipv4", "ipv6", "uuid", "uri"]

    private static let leapYear = #"(?:\d\d(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"#
    static let date = #"(?:\d{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))|"#
        + leapYear + #"-02-29)"#
    static let time = #"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:[zZ]|[+-](?:[01]\d|2[0-3]):[0-5]\d)"#
    static let dateTime = date + "[Tt]" + time
    private static let durTime = #"T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S)"#
    static let duration = #"P(?:\d+W|(?:\d+Y(?:\d+M(?:\d+D)?)?|\d+M(?:\d+D)?|\d+D)(?:"# + durTime + ")?|" + durTime + ")"
    private static let atext = #"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"#
    private static let label = #"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"#
    static let email = atext + #"(?:\."# + atext + ")*@" + label + #"(?:\."# + label + ")*"
    private static let octet = #"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"#
    static let ipv4 = octet + #"(?:\."# + octet + "){3}"
    private static let h = "[0-9A-Fa-f]{1,4}"
    static let ipv6 = "(?:(?:\(h):){7}\(h)|(?:\(h):){1,7}:|(?:\(h):){1,6}:\(h)|(?:\(h):){1,5}(?::\(h)){1,2}"
        + "|(?:\(h):){1,4}(?::\(h)){1,3}|(?:\(h):){1,3}(?::\(h)){1,4}|(?:\(h):){1,2}(?::\(h)){1,5}"
        + "|\(h):(?::\(h)){1,6}|:(?:(?::\(h)){1,7}|:)|(?:\(h):){6}\(ipv4)|::(?:\(h):){0,5}\(ipv4))"
    static let uuid = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    private static let pct = "%[0-9A-Fa-f]{2}"
    private static let pchar = #"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|"# + pct + ")"
    private static let regName = #"(?:[A-Za-z0-9\-._~!$&'()*+,;=]|"# + pct + ")*"
    private static let userinfo = #"(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|"# + pct + ")*@"
    private static let authority = "(?:" + userinfo + ")?(?:" + regName + #"|\["# + ipv6 + #"\])(?::\d*)?"#
    static let uri = "[A-Za-z][A-Za-z0-9+.-]*:(?://" + authority + "(?:/" + pchar + "*)*|/?(?:" + pchar + "+(?:/"
        + pchar + "*)*)?)" + #"(?:\?(?:"# + pchar + "|[/?])*)?(?:#(?:" + pchar + "|[/?])*)?"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cache: [String: DFA] = [:]

    /// The content language of `format` under `encoding`, or nil if the format is unknown.
    /// Built once per process (format automata are the most expensive terminals to build).
    static func language(_ format: String, encoding: ScalarEncoding) throws -> DFA? {
        let key = "\(encoding)/\(format)"
        lock.lock()
        defer { lock.unlock() }
        if let d = cache[key] { return d }
        let d = try build(format, encoding: encoding)
        cache[key] = d
        return d
    }

    private static func build(_ format: String, encoding: ScalarEncoding) throws -> DFA? {
        let source: String
        switch format {
        case "date": source = date
        case "time": source = time
        case "date-time": source = dateTime
        case "duration": source = duration
        case "email": source = email
        case "ipv4": source = ipv4
        case "ipv6": source = ipv6
        case "uuid": source = uuid
        case "uri": source = uri
        case "hostname": return try hostname(encoding)
        default: return nil
        }
        return try DFA(RegexLowering.fullLanguage(source, encoding: encoding))
    }

    /// RFC 1123 host names: labels of letters/digits/hyphens not starting or ending with '-' and no
    /// "--" at positions 3–4 of a label. The 253-character limit is guaranteed structurally (a full
    /// length counter is too large an automaton): up to 3 labels of ≤ 63 characters, or up to 12
    /// labels of ≤ 20 characters — both stay under 253 characters.
    private static func hostname(_ e: ScalarEncoding) throws -> DFA {
        let short = #"[A-Za-z0-9](?:[A-Za-z0-9-]{0,18}[A-Za-z0-9])?"#
        let long = label + #"(?:\."# + label + "){0,2}"
        let many = short + #"(?:\."# + short + "){0,11}"
        let names = try DFA(RegexLowering.fullLanguage(long + "|" + many, encoding: e), maxStates: 200_000)
        let reserved = try DFA(RegexLowering.fullLanguage(#"(?:.*\.)?[^.][^.]--.*"#, encoding: e))
        return try names.subtract(reserved, maxStates: 200_000)
    }
}
