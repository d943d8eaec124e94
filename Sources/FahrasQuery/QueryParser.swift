/// Parses the Fahras query language into a `QueryNode` tree.
///
/// The parser is pure syntax: it never analyzes text and never looks at an index. Each leaf keeps the text
/// the user typed (escapes removed); the search layer runs it through the field's analyzer.
///
/// ## Grammar (EBNF)
///
/// ```
/// query        = ws , [ or-expr ] , ws ;
/// or-expr      = and-expr , { ws , ( "OR" | (* juxtaposition, default OR *) ) , ws , and-expr } ;
/// and-expr     = unary , { ws , ( "AND" | (* juxtaposition, default AND *) ) , ws , unary } ;
/// unary        = [ "+" | "-" | "NOT" , ws ] , primary ;       (* "+"/"-" touch the primary *)
/// primary      = [ field , ":" ] , ( group | phrase | word-clause ) ;   (* nothing between ":" and operand *)
/// group        = "(" , ws , or-expr , ws , ")" , [ boost ] ;
/// phrase       = '"' , { phrase-char } , '"' , [ "~" , slop ] , [ boost ] ;
/// word-clause  = word , [ "*" | "~" , [ edits ] ] , [ boost ] ;
/// word         = word-char , { word-char | "+" | "-" } ;     (* not an operator word, unless after "field:" *)
/// word-char    = escape | ? any scalar but white space and  " ( ) * ~ ^ \ + - ? ;
/// phrase-char  = escape | ? any scalar but " and \ ? ;
/// escape       = "\" , ? any scalar ? ;                       (* the scalar is taken literally *)
/// field        = ( letter | "_" ) , { letter | digit | "_" | "." | "-" } ;   (* ASCII only *)
/// slop         = digit , { digit } ;                         (* 0 ... 100 *)
/// edits        = "0" | "1" | "2" ;                           (* "word~" alone means 2 *)
/// boost        = "^" , number ;                              (* positive and finite *)
/// number       = ( digits , [ "." , [ digits ] ] | "." , digits ) , [ ( "e" | "E" ) , [ "+" | "-" ] , digits ] ;
/// ws           = { ? Unicode White_Space scalar ? } ;
/// ```
///
/// - `:` is an ordinary word character; only an ASCII identifier *at the start of a clause* immediately
///   followed by `:` is a field. So `شويغو:` (a colon after an Arabic word), `12:30` and `:x` are plain words.
/// - `AND`, `OR`, `NOT` are operators only in upper case, unescaped and standing alone (`and`, `\AND`,
///   `ANDroid` are words). Right after `field:` they are words too (`title:AND`).
/// - A word ends at white space or at one of `" ( ) * ~ ^`, so `a(b)` is two clauses and `a^2` is a boost.
/// - `+` and `-` are prefixes only at the start of a clause; inside a word they are word characters (`e-mail`).
/// - Precedence: `NOT`/`+`/`-` (unary) > `AND` > `OR`. Juxtaposition means the default operator: under
///   `.or` it binds like `OR` (`a b AND c` = `a OR (b AND c)`), under `.and` like `AND`.
/// - A field given to a group applies to every leaf inside that has no field of its own
///   (`title:(a body:b)` = `title:a body:b`).
///
/// ## Result shape
///
/// - Clauses joined by `AND` (or by juxtaposition under `.and`) form one boolean whose unprefixed clauses are
///   `must`; alternatives joined by `OR` (or juxtaposition under `.or`) form one boolean whose unprefixed
///   clauses are `should`. A `+` prefix gives `must`, `-` and `NOT` give `mustNot`.
/// - A group, or the whole query, holding one clause with no prefix and no boost is returned unwrapped
///   (`(a)` and `a` both give the term `a`). A prefixed lone clause stays wrapped: `-a` and `NOT a` give a
///   boolean with a single `mustNot` clause (a pure negative query, left to the search layer to interpret).
/// - An empty or all-white-space query gives `.boolean(clauses: [], boost: 1)`.
/// - `node.description` prints the canonical form, which parses back to the same node.
///
/// ## Examples
///
/// | Query                    | Canonical form (`description`) | Meaning                                       |
/// |--------------------------|--------------------------------|-----------------------------------------------|
/// | `روسيا`                  | `روسيا`                        | one term                                      |
/// | `قمة الرياض`             | `(قمة الرياض)`                 | either term (default OR)                      |
/// | `قمة AND الرياض`         | `(+قمة +الرياض)`               | both terms                                    |
/// | `a AND b OR c`           | `((+a +b) c)`                  | AND binds tighter than OR                     |
/// | `a b AND c`              | `(a (+b +c))`                  | juxtaposition is OR by default                |
/// | `+a b -c`                | `(+a b -c)`                    | required, optional, excluded                  |
/// | `a NOT b`                | `(a -b)`                       | `NOT` is the same as `-`                      |
/// | `NOT a`                  | `(-a)`                         | pure negative query                           |
/// | `"a b c"`                | `"a b c"`                      | phrase                                        |
/// | `"a b"~2`                | `"a b"~2`                      | sloppy phrase (0…100)                         |
/// | `title:روسيا`            | `title:روسيا`                  | term in a field                               |
/// | `title:"a b"`            | `title:"a b"`                  | phrase in a field                             |
/// | `title:(a b)^3`          | `(title:a title:b)^3`          | field folded into the group's leaves          |
/// | `شويغو: روسيا`           | `(شويغو\: روسيا)`              | a colon after a non-ASCII word is text        |
/// | `12:30`                  | `12\:30`                       | not a field: `12` is not an identifier        |
/// | `كتا*`                   | `كتا*`                         | prefix                                        |
/// | `color~`                 | `color~2`                      | fuzzy, up to 2 edits                          |
/// | `colour~1`               | `colour~1`                     | fuzzy, up to 1 edit                           |
/// | `a^2 "b c"^1.5 (d e)^3`  | `(a^2 "b c"^1.5 (d e)^3)`      | boosts                                        |
/// | `and`                    | `and`                          | lower-case operator words are words           |
/// | `\(1\+1\)`               | `\(1+1\)`                      | escapes                                       |
/// | ` `                      | (empty)                        | empty boolean                                 |
///
/// Errors (`QueryParseError`, position in Unicode scalars):
///
/// | Query        | Message                                                    | Position |
/// |--------------|------------------------------------------------------------|----------|
/// | `"unclosed`  | expected '"' to close the phrase opened at 0               | 9        |
/// | `title:`     | expected a term, phrase or group after 'title:'            | 6        |
/// | `((a)`       | expected ')' to close the group opened at 0                | 4        |
/// | `a)`         | unexpected ')' without a matching '('                      | 1        |
/// | `a AND`      | expected a term after 'AND'                                | 5        |
/// | `AND a`      | expected a term before 'AND'                               | 0        |
/// | `*`, `*abc`  | expected a term before '*' (leading wildcards are not supported) | 0  |
/// | `a*b`        | wildcard '*' is only supported at the end of a term        | 1        |
/// | `a^`         | expected a number after '^'                                | 2        |
/// | `a~5`        | expected a fuzzy edit distance of 0, 1 or 2 after '~'      | 2        |
/// | `()`         | empty group: expected a term between '(' and ')'           | 1        |
///
/// ## Limits
///
/// Parsing does bounded, linear work on any input: at most `maxClauses` leaves (a phrase counts one per
/// word; more gives "too many clauses (limit 1024)"), at most `maxDepth` nested groups (checked before
/// descending, so deep nesting errors instead of overflowing the stack), and at most `maxQueryBytes` UTF-8
/// bytes of query. Parsing stops at the first error.
public struct QueryParser: Sendable {
  /// The operator between clauses written side by side.
  public var defaultOperator: DefaultOperator
  /// Most leaves (terms; a phrase counts one per word) a query may hold.
  public var maxClauses: Int
  /// Deepest nesting of parentheses a query may hold.
  public var maxDepth: Int
  /// Longest query, in UTF-8 bytes.
  public var maxQueryBytes: Int

  public init(
    defaultOperator: DefaultOperator = .or, maxClauses: Int = 1024, maxDepth: Int = 64,
    maxQueryBytes: Int = 65_536
  ) {
    self.defaultOperator = defaultOperator
    self.maxClauses = maxClauses
    self.maxDepth = maxDepth
    self.maxQueryBytes = maxQueryBytes
  }

  /// Parses `query`.
  ///
  /// - Returns: the query tree; `.boolean(clauses: [], boost: 1)` for an empty or all-white-space query.
  /// - Throws: `QueryParseError` at the first syntax error or exceeded limit, with its position.
  /// - Complexity: O(n) in the length of the query.
  public func parse(_ query: String) throws(QueryParseError) -> QueryNode {
    var query = query
    let result = query.withUTF8 { bytes -> Result<QueryNode, QueryParseError> in
      if bytes.count > maxQueryBytes {
        var offset = max(0, maxQueryBytes)
        while offset > 0 && bytes[offset] & 0xC0 == 0x80 { offset -= 1 }
        let scanner = QueryScanner(bytes: bytes)
        return .failure(scanner.error("query too long (limit \(maxQueryBytes) bytes)", at: offset))
      }
      var grammar = QueryGrammar(
        bytes: bytes, defaultOperator: defaultOperator, maxClauses: maxClauses, maxDepth: maxDepth)
      do throws(QueryParseError) {
        return .success(try grammar.parseQuery())
      } catch {
        return .failure(error)
      }
    }
    return try result.get()
  }
}
