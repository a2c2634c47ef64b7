--[[
Quarto-style cross-references for the fallback renderer (pandoc 3 Lua filter).

Works on pandoc's document tree, as Quarto's own crossref filter does, so any
valid Markdown (code spans, captions holding brackets, citations) is safe:

* figures  ``![caption](file){#fig-x}``       -> pandoc Figure with id fig-x
* tables   ``: caption {#tbl-x}``              -> pandoc Table with id tbl-x
* equations ``$$ ... $$ {#eq-x}``              -> display math followed by "{#eq-x}"
* sections ``# Title {#sec-x}``                -> Header with id sec-x

Each kind is numbered in document order (sections hierarchically, skipping
``.unnumbered`` headings). A citation whose every key starts with fig-, tbl-,
eq- or sec- becomes a link "Figure 2", "Equation 3" (Quarto's words: the number
without the parentheses its equation carries; ``-@fig-x`` gives the bare number).
An unknown label, a label defined twice, or a citation mixing labels and
bibliography keys stops pandoc with an error that names it.

In HTML, captions get a "Figure N: " / "Table N: " prefix and equations a
"(N)" tag; Typst numbers figures, tables and (via math.equation) equations
itself, in the same order.
]]

local KINDS = { fig = "Figure", tbl = "Table", eq = "Equation", sec = "Section" }
local numbers = { fig = {}, tbl = {}, eq = {}, sec = {} }
local counts = { fig = 0, tbl = 0, eq = 0 }
local section = {}
local is_html = FORMAT:match("html") ~= nil
local is_typst = FORMAT:match("typst") ~= nil

local function split(id)
  local kind, label = id:match("^(%a+)%-(.+)$")
  if kind and KINDS[kind] then return kind, label end
  return nil
end

local function define(kind, id, number)
  if numbers[kind][id] then
    error("label #" .. id .. " is defined twice")
  end
  numbers[kind][id] = number
end

local function next_number(kind, id)
  counts[kind] = counts[kind] + 1
  define(kind, id, tostring(counts[kind]))
  return counts[kind]
end

local function prefix_caption(caption, text)
  if not is_html then return caption end
  local long = caption.long
  local head = pandoc.Inlines({ pandoc.Str(text .. ":"), pandoc.Space() })
  if #long > 0 and (long[1].t == "Plain" or long[1].t == "Para") then
    long[1].content = head .. long[1].content
  else
    long:insert(1, pandoc.Plain(head))
  end
  caption.long = long
  return caption
end

-- Numbers a figure or a table (``kind`` "fig" or "tbl") and writes "Figure n" / "Table n" into its caption.
local function numberer(kind, word)
  return function(el)
    if split(el.identifier) ~= kind then return nil end
    local n = next_number(kind, el.identifier)
    el.caption = prefix_caption(el.caption, word .. " " .. n)
    return el
  end
end

local number_figure = numberer("fig", "Figure")
local number_table = numberer("tbl", "Table")

local function number_header(h)
  if h.classes:includes("unnumbered") or h.classes:includes("-") then return nil end
  local level = h.level
  for i = 1, level - 1 do section[i] = section[i] or 0 end
  section[level] = (section[level] or 0) + 1
  for i = level + 1, #section do section[i] = nil end
  local parts = {}
  for i = 1, level do parts[i] = tostring(section[i]) end
  if split(h.identifier) == "sec" then
    define("sec", h.identifier, table.concat(parts, "."))
  end
  return nil
end

-- Display math followed (after optional spaces) by the text "{#eq-label}".
local function equation(math, id)
  local n = next_number("eq", id)
  if is_typst then
    local body = pandoc.write(pandoc.Pandoc({ pandoc.Plain({ math }) }), "typst"):gsub("%s+$", "")
    return pandoc.RawInline("typst",
      "#math.equation(block: true, numbering: \"(1)\", " .. body .. ") <" .. id .. ">")
  end
  local tagged = pandoc.Math("DisplayMath", math.text .. " \\qquad (" .. n .. ")")
  return pandoc.Span({ tagged }, pandoc.Attr(id))
end

local function number_equations(inlines)
  local out = pandoc.Inlines({})
  local i = 1
  while i <= #inlines do
    local el = inlines[i]
    if el.t == "Math" and el.mathtype == "DisplayMath" then
      local j = i + 1
      while j <= #inlines and (inlines[j].t == "Space" or inlines[j].t == "SoftBreak") do j = j + 1 end
      local tag = j <= #inlines and inlines[j].t == "Str" and inlines[j].text:match("^{#(eq%-[%w_%-]+)}$")
      if tag then
        out:insert(equation(el, tag))
        i = j + 1
      else
        out:insert(el)
        i = i + 1
      end
    else
      out:insert(el)
      i = i + 1
    end
  end
  return out
end

local function known(kind)
  local ids = {}
  for id in pairs(numbers[kind]) do ids[#ids + 1] = "@" .. id end
  table.sort(ids)
  return #ids > 0 and table.concat(ids, ", ") or "none"
end

local function resolve(cite)
  local crossref, other = 0, 0
  for _, c in ipairs(cite.citations) do
    if split(c.id) then crossref = crossref + 1 else other = other + 1 end
  end
  if crossref == 0 then return nil end
  if other > 0 then
    error("a citation mixes cross-references and bibliography keys: " .. pandoc.utils.stringify(cite.content))
  end
  local out = pandoc.Inlines({})
  for k, c in ipairs(cite.citations) do
    local kind = split(c.id)
    local number = numbers[kind][c.id]
    if not number then
      error("unresolved cross-reference @" .. c.id .. " (labels of that kind: " .. known(kind) .. ")")
    end
    -- Quarto's style: "Equation 2" (the equation itself carries "(2)").
    local text = c.mode == "SuppressAuthor" and number or (KINDS[kind] .. " " .. number)
    if k > 1 then
      out:insert(pandoc.Str(k == #cite.citations and " and" or ","))
      out:insert(pandoc.Space())
    end
    local words = pandoc.Inlines({})
    for w in text:gmatch("%S+") do
      if #words > 0 then words:insert(pandoc.Space()) end
      words:insert(pandoc.Str(w))
    end
    -- A non-breaking space keeps "Figure" and its number on one line.
    if #words == 3 then words = pandoc.Inlines({ pandoc.Str(pandoc.utils.stringify(words[1]) .. "\u{a0}" .. pandoc.utils.stringify(words[3])) }) end
    out:insert(pandoc.Link(words, "#" .. c.id))
  end
  return out
end

function Pandoc(doc)
  doc = doc:walk({
    traverse = "topdown",
    Figure = number_figure,
    Table = number_table,
    Header = number_header,
    Inlines = number_equations,
  })
  doc = doc:walk({ Cite = resolve })
  return doc
end
