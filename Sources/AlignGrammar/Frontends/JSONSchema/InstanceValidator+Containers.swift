// InstanceValidator+Containers: the array and object keywords of a concrete value (2020-12 Core
// §10.3.1 arrays: prefixItems, items, contains with min/maxContains; §10.3.2 objects: properties,
// patternProperties, additionalProperties, propertyNames; Validation §6.4–6.5: counts, uniqueItems,
// required, dependentRequired; Core §10.2.2.4 dependentSchemas; draft-07 `dependencies` and 2019-09
// array-form `items` with `additionalItems`). Three-valued like the rest of the validator.

extension InstanceValidator {
    func arrayKeyword(_ k: String, _ kv: JSONValue, _ items: [JSONValue], _ s: Located, depth: Int) -> Bool? {
        switch k {
        case "minItems", "maxItems": return count(kv, items.count, minimum: k == "minItems")
        case "uniqueItems":
            guard case .bool(true) = kv else { return true }
            for i in items.indices { for j in items.indices where j > i && items[i].schemaEquals(items[j]) { return false } }
            return true
        case "prefixItems":
            guard case .array(let subs) = kv else { return nil }
            return Self.and(zip(subs, items).enumerated().map { validate($1.1, s.child($1.0, k, String($0)), depth: depth + 1) })
        case "items": return itemsKeyword(kv, items, s, depth: depth)
        case "contains": return containsKeyword(kv, items, s, depth: depth)
        default: return true
        }
    }

    private func itemsKeyword(_ kv: JSONValue, _ items: [JSONValue], _ s: Located, depth: Int) -> Bool? {
        if case .array(let tuple) = kv {
            var rs = zip(tuple, items).enumerated().map { validate($1.1, s.child($1.0, "items", String($0)), depth: depth + 1) }
            if let extra = s.value["additionalItems"], items.count > tuple.count {
                rs += items.dropFirst(tuple.count).map { validate($0, s.child(extra, "additionalItems"), depth: depth + 1) }
            }
            return Self.and(rs)
        }
        var skip = 0
        if case .array(let p)? = s.value["prefixItems"] { skip = p.count }
        return Self.and(items.dropFirst(skip).map { validate($0, s.child(kv, "items"), depth: depth + 1) })
    }

    /// contains with minContains (default 1) and maxContains (default unbounded).
    private func containsKeyword(_ kv: JSONValue, _ items: [JSONValue], _ s: Located, depth: Int) -> Bool? {
        func bound(_ key: String) -> Int64?? {
            guard let b = s.value[key] else { return .some(nil) }
            guard case .number(let l) = b, let n = JSONNumber(l)?.int64 else { return nil }
            return .some(n)
        }
        guard case .some(let lo) = bound("minContains"), case .some(let hi) = bound("maxContains") else { return nil }
        let rs = items.map { validate($0, s.child(kv, "contains"), depth: depth + 1) }
        let yes = Int64(rs.filter { $0 == true }.count), maybe = Int64(rs.filter { $0 == nil }.count)
        let min = lo ?? 1, max = hi ?? Int64.max
        if yes >= min && yes + maybe <= max { return true }
        if yes + maybe < min || yes > max { return false }
        return nil
    }

    private func count(_ kv: JSONValue, _ n: Int, minimum: Bool) -> Bool? {
        guard case .number(let l) = kv, let b = JSONNumber(l)?.int64 else { return nil }
        return minimum ? Int64(n) >= b : Int64(n) <= b
    }

    func objectKeyword(_ k: String, _ kv: JSONValue, _ ms: [JSONMember], _ s: Located, depth: Int) -> Bool? {
        switch k {
        case "minProperties", "maxProperties": return count(kv, ms.count, minimum: k == "minProperties")
        case "required":
            guard case .array(let names) = kv else { return nil }
            return names.allSatisfy { n in ms.contains { JSONValue.string($0.key).schemaEquals(n) } }
        case "properties":
            guard let props = kv.members else { return nil }
            return Self.and(ms.compactMap { m in
                props.last { $0.key.sameScalars(m.key) }.map { validate(m.value, s.child($0.value, k, m.key), depth: depth + 1) }
            })
        case "propertyNames": return Self.and(ms.map { validate(.string($0.key), s.child(kv, k), depth: depth + 1) })
        case "dependentRequired", "dependentSchemas", "dependencies": return dependencies(k, kv, ms, s, depth: depth)
        // Both are read together, once per schema: from patternProperties if present.
        case "patternProperties": return memberSchemas(ms, s, depth: depth)
        case "additionalProperties": return s.value["patternProperties"] == nil ? memberSchemas(ms, s, depth: depth) : true
        default: return true
        }
    }

    /// patternProperties + additionalProperties of `s` for every member (2020-12 Core §10.3.2.2–3).
    func memberSchemas(_ ms: [JSONMember], _ s: Located, depth: Int) -> Bool? {
        let declared = s.value["properties"]?.members ?? []
        let patterns = s.value["patternProperties"]?.members ?? []
        var rs: [Bool?] = []
        for m in ms {
            var matched: Bool? = false
            for p in patterns {
                guard let hit = search(p.key, in: m.key) else { matched = nil; rs.append(nil); continue }
                if hit {
                    if matched == false { matched = true }
                    rs.append(validate(m.value, s.child(p.value, "patternProperties", p.key), depth: depth + 1))
                }
            }
            guard let extra = s.value["additionalProperties"], !declared.contains(where: { $0.key.sameScalars(m.key) }), matched != true else { continue }
            // Undecided pattern matches leave additionalProperties undecided unless it passes anyway.
            let r = validate(m.value, s.child(extra, "additionalProperties"), depth: depth + 1)
            rs.append(matched == nil && r == false ? nil : r)
        }
        return Self.and(rs)
    }

    private func dependencies(_ k: String, _ kv: JSONValue, _ ms: [JSONMember], _ s: Located, depth: Int) -> Bool? {
        guard let deps = kv.members else { return nil }
        var rs: [Bool?] = []
        for d in deps where ms.contains(where: { $0.key.sameScalars(d.key) }) {
            switch d.value {
            case .array(let names) where k != "dependentSchemas":
                rs.append(names.allSatisfy { n in ms.contains { JSONValue.string($0.key).schemaEquals(n) } })
            case .object, .bool:
                if k == "dependentRequired" { return nil }
                rs.append(validate(.object(ms), s.child(d.value, k, d.key), depth: depth + 1))
            default: return nil
            }
        }
        return Self.and(rs)
    }
}
