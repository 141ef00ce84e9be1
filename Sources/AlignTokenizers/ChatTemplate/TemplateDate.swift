// TemplateDate: the wall-clock instant behind `strftime_now(format)` (transformers defines it as
// `datetime.now().strftime(format)`), and a strftime for the C-locale directives chat templates use
// (%d %b %B %Y %y %m %H %I %M %S %p %a %A %j %e %-d %%). Injectable so tests render fixed dates.
import Foundation

/// A local date and time for `strftime_now`.
public struct TemplateDate: Equatable, Sendable {
    /// Calendar date (Gregorian; month 1–12, day 1–31).
    public var year: Int, month: Int, day: Int
    /// Wall-clock time (hour 0–23).
    public var hour: Int, minute: Int, second: Int

    /// A fixed instant (month 1–12, day 1–31).
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        (self.year, self.month, self.day, self.hour, self.minute, self.second) = (year, month, day, hour, minute, second)
    }

    /// The current local time, as Python's `datetime.now()`.
    public static func now() -> TemplateDate {
        let c = Calendar(identifier: .gregorian).dateComponents(in: .current, from: Date())
        return TemplateDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1, hour: c.hour ?? 0,
                            minute: c.minute ?? 0, second: c.second ?? 0)
    }

    /// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's days_from_civil).
    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]
    private static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// C-locale `strftime`.
    func format(_ pattern: String) -> String {
        var out = ""
        var chars = pattern.makeIterator()
        func pad(_ v: Int, _ width: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        let weekday = Self.weekdays[((daysSinceEpoch % 7) + 7 + 3) % 7]  // 1970-01-01 was a Thursday
        let monthName = Self.months[max(0, min(11, month - 1))]
        let dayOfYear = daysSinceEpoch - TemplateDate(year: year, month: 1, day: 1).daysSinceEpoch + 1
        while let c = chars.next() {
            guard c == "%", var d = chars.next() else { out.append(c); continue }
            var unpadded = false
            if d == "-", let next = chars.next() { unpadded = true; d = next }
            func num(_ v: Int, _ width: Int = 2) -> String { unpadded ? String(v) : pad(v, width) }
            switch d {
            case "d": out += num(day)
            case "e": out += unpadded ? String(day) : (day < 10 ? " \(day)" : String(day))
            case "m": out += num(month)
            case "Y": out += String(year)
            case "y": out += num(year % 100)
            case "H": out += num(hour)
            case "I": out += num(hour % 12 == 0 ? 12 : hour % 12)
            case "M": out += num(minute)
            case "S": out += num(second)
            case "p": out += hour < 12 ? "AM" : "PM"
            case "b", "h": out += String(monthName.prefix(3))
            case "B": out += monthName
            case "a": out += String(weekday.prefix(3))
            case "A": out += weekday
            case "j": out += num(dayOfYear, 3)
            case "%": out += "%"
            default: out += "%" + String(d)
            }
        }
        return out
    }
}
