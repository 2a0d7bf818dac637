// The search page (templates/search.html): Pagefind's JavaScript API over the bundle of the page's language,
// another language's bundle merged on request, a tag filter and a sort order. Every string shown comes from
// the page (data-strings, from the theme's catalogs); nothing is fetched from anywhere but this site.

const PAGE_SIZE = 10; // results shown at once; "Show more results" adds as many

const root = document.querySelector(".search[data-bundle]");
if (root) start(root);

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

async function start(root) {
  const strings = JSON.parse(root.dataset.strings);
  const tags = JSON.parse(root.dataset.tags);
  const lang = root.dataset.lang;
  const locale = root.dataset.locale;
  const form = root.querySelector(".search-form");
  const input = form.querySelector("#search-q");
  const tagSelect = form.querySelector("#search-tag");
  const sortSelect = form.querySelector("#search-sort");
  const others = [...form.querySelectorAll("input[name=also]")];
  const status = root.querySelector("#search-status");
  const list = root.querySelector("#search-results");
  const more = root.querySelector(".search-more");
  const plural = new Intl.PluralRules(locale);
  const merged = new Set();
  let shown = [];
  let pagefind;

  root.querySelector(".search-nojs").hidden = true;
  form.hidden = false;
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  sortSelect.value = params.get("sort") === "date" ? "date" : "";
  for (const box of others) box.checked = params.getAll("also").includes(box.value);
  status.textContent = strings.loading;
  try {
    pagefind = await import(root.dataset.bundle + "pagefind.js");
    await load();
  } catch (error) {
    status.textContent = strings.failed;
    return;
  }
  await fillTags(params.get("tag") || "");
  status.textContent = "";
  if (input.value || tagSelect.value) run();

  // The page's language, then each other language asked for (a merged index cannot be taken out again: to
  // leave one out, Pagefind starts afresh).
  async function load() {
    await pagefind.options({ baseUrl: root.dataset.base, excerptLength: 28 });
    await pagefind.init();
    await mergeChecked();
  }

  async function mergeChecked() {
    for (const box of others) {
      if (box.checked && !merged.has(box.value)) {
        merged.add(box.value);
        await pagefind.mergeIndex(box.dataset.bundle, { language: box.value, baseUrl: root.dataset.base });
      }
    }
  }

  async function fillTags(wanted) {
    const counts = ((await pagefind.filters()) || {}).tag || {};
    const current = wanted || tagSelect.value;
    const ids = Object.keys(counts).filter((id) => counts[id] > 0);
    ids.sort((a, b) => label(a).localeCompare(label(b), locale, { sensitivity: "base" }));
    tagSelect.replaceChildren(tagSelect.options[0]);
    for (const id of ids) tagSelect.add(new Option(fill(strings.count_tag, { label: label(id), count: counts[id] }), id));
    tagSelect.value = ids.includes(current) ? current : "";
  }

  function label(id) {
    return (tags[id] && tags[id].label) || id;
  }

  function remember() {
    const query = new URLSearchParams();
    if (input.value.trim()) query.set("q", input.value.trim());
    if (tagSelect.value) query.set("tag", tagSelect.value);
    if (sortSelect.value) query.set("sort", sortSelect.value);
    for (const box of others) if (box.checked) query.append("also", box.value);
    const search = query.toString();
    history.replaceState(null, "", search ? `?${search}` : location.pathname);
  }

  async function run(debounce = 0) {
    remember();
    const term = input.value.trim();
    if (!term && !tagSelect.value) {
      show([], term);
      return;
    }
    const filters = tagSelect.value ? { tag: tagSelect.value } : {};
    const options = { filters, sort: sortSelect.value === "date" ? { date: "desc" } : {} };
    const found = debounce
      ? await pagefind.debouncedSearch(term || null, options, debounce)
      : await pagefind.search(term || null, options);
    if (found === null) return; // a newer search replaced this one
    if (term !== input.value.trim()) return;
    show(found.results, term);
  }

  function show(results, term) {
    shown = results;
    list.replaceChildren();
    if (!term && !tagSelect.value) {
      status.textContent = "";
    } else if (!results.length) {
      status.textContent = fill(strings.none, { query: term });
    } else {
      const form = plural.select(results.length) === "one" ? "one" : "other";
      status.textContent = fill(term ? strings[`query_${form}`] : strings[form], { count: results.length, query: term });
    }
    showMore();
  }

  async function showMore() {
    const start = list.children.length;
    const slice = shown.slice(start, start + PAGE_SIZE);
    const batch = shown;
    const data = await Promise.all(slice.map((result) => result.data()));
    if (batch !== shown) return;
    for (const item of data) list.append(card(item));
    more.hidden = list.children.length >= shown.length;
    return start;
  }

  function card(data) {
    const item = document.createElement("li");
    item.className = "search-result";
    const docLang = data.meta.lang || lang;
    if (docLang !== lang) item.lang = docLang;
    const heading = document.createElement("h2");
    heading.className = "search-title";
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    heading.append(link);
    item.append(heading);
    const meta = document.createElement("p");
    meta.className = "meta";
    if (data.meta.date) {
      const time = document.createElement("time");
      if (data.meta.iso) time.dateTime = data.meta.iso;
      time.textContent = data.meta.date;
      meta.append(time);
    }
    const ids = data.filters.tag || [];
    if (ids.length) {
      const group = document.createElement("span");
      group.className = "tags";
      if (docLang !== lang) group.lang = lang;
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = strings.tags + " ";
      group.append(hidden);
      for (const id of ids) {
        const tag = document.createElement(tags[id] && tags[id].url ? "a" : "span");
        tag.className = "tag";
        if (tags[id] && tags[id].url) tag.href = tags[id].url;
        tag.textContent = label(id);
        group.append(tag, " ");
      }
      meta.append(group);
    }
    if (meta.childNodes.length) item.append(meta);
    const excerpt = document.createElement("p");
    excerpt.className = "search-excerpt";
    excerpt.append(...marked(data.excerpt || ""));
    item.append(excerpt);
    return item;
  }

  // Pagefind's excerpt is text with < and > escaped and the matched words in <mark>: made into nodes here,
  // never parsed as HTML.
  function marked(excerpt) {
    return excerpt.split(/(<mark>[\s\S]*?<\/mark>)/).filter(Boolean).map((part) => {
      const match = part.match(/^<mark>([\s\S]*)<\/mark>$/);
      const text = (match ? match[1] : part).replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      if (!match) return document.createTextNode(text);
      const mark = document.createElement("mark");
      mark.textContent = text;
      return mark;
    });
  }

  function links() {
    return [...list.querySelectorAll(".search-title a")];
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  input.addEventListener("input", () => run(200));
  tagSelect.addEventListener("change", () => run());
  sortSelect.addEventListener("change", () => run());
  for (const box of others) {
    box.addEventListener("change", async () => {
      if (!box.checked && merged.has(box.value)) {
        merged.clear();
        await pagefind.destroy();
        await load();
      }
      await mergeChecked();
      await fillTags();
      run();
    });
  }
  more.querySelector("button").addEventListener("click", async () => {
    const first = await showMore();
    const next = links()[first];
    if (next) next.focus();
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      input.value = "";
      run();
    }
  });
  list.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    let next = null;
    if (event.key === "ArrowDown") next = all[Math.min(at + 1, all.length - 1)];
    else if (event.key === "ArrowUp") next = at === 0 ? input : all[at - 1];
    else if (event.key === "Home") next = all[0];
    else if (event.key === "End") next = all[all.length - 1];
    else if (event.key === "Escape") next = input;
    if (next) {
      event.preventDefault();
      next.focus();
      if (next === input) input.select();
    }
  });
}
