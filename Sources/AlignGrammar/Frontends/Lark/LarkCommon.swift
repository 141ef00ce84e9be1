// LarkCommon: the terminals `%import common.X` provides — Lark's grammars/common.lark
// (lark-parser/lark 24f19a3), in the regex form llguidance uses for them (parser/src/lark/common.rs,
// guidance-ai/llguidance 1.9.1). Written as Lark regex bodies (Rust regex syntax, read by LarkRegex).

enum LarkCommon {
    private static let exp = #"[eE](\+|-)?[0-9]+"#
    private static let float = #"([0-9]+\.[0-9]*|\.[0-9]+)(\#(exp))?|[0-9]+\#(exp)"#

    /// Terminal name → regex body.
    static let regexes: [String: String] = [
        "DIGIT": "[0-9]",
        "HEXDIGIT": "[a-fA-F0-9]",
        "INT": "[0-9]+",
        "SIGNED_INT": #"(\+|-)?[0-9]+"#,
        "DECIMAL": #"([0-9]+\.[0-9]*)|(\.[0-9]+)"#,
        "_EXP": exp,
        "FLOAT": float,
        "SIGNED_FLOAT": #"(\+|-)?(\#(float))"#,
        "NUMBER": "([0-9]+)|\(float)",
        "SIGNED_NUMBER": #"(\+|-)?(([0-9]+)|\#(float))"#,
        "ESCAPED_STRING": #"\"([^\"\\]|\\.)*\""#,
        "LCASE_LETTER": "[a-z]",
        "UCASE_LETTER": "[A-Z]",
        "LETTER": "[A-Za-z]",
        "WORD": "[A-Za-z]+",
        "CNAME": "[_A-Za-z][_A-Za-z0-9]*",
        "WS_INLINE": #"[ \t]+"#,
        "WS": #"[ \t\f\r\n]+"#,
        "CR": #"\r"#,
        "LF": #"\n"#,
        "NEWLINE": #"(\r?\n)+"#,
        "SH_COMMENT": #"#[^\n]*"#,
        "CPP_COMMENT": #"//[^\n]*"#,
        "C_COMMENT": #"\/\*[^*]*\*+(?:[^/*][^*]*\*+)*\/"#,
        "SQL_COMMENT": #"--[^\n]*"#,
    ]
}
