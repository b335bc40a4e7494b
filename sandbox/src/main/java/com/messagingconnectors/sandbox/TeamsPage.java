package com.messagingconnectors.sandbox;

import java.nio.charset.StandardCharsets;

/**
 * {@code /microsoft/teams}: the cards the sandbox received as Graph channel messages or Workflows posts, newest first,
 * rendered with the adaptivecards library (served at {@code /microsoft/adaptivecards.min.js} when the npm package is
 * installed) — or, without it, with a small readable fallback that shows title, texts, facts and buttons.
 */
final class TeamsPage {
    private TeamsPage() {
    }

    static byte[] html() {
        return PAGE.getBytes(StandardCharsets.UTF_8);
    }

    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Sandbox · Microsoft Teams</title>
            <style>
              body{font-family:'Segoe UI',system-ui,sans-serif;background:#f5f5f5;margin:0;padding:1em 2em}
              .item{background:#fff;border-radius:6px;box-shadow:0 1px 3px #0002;margin:1em 0;padding:1em;max-width:40em}
              .meta{color:#666;font-size:.85em;margin-bottom:.5em}
              .fallback .c-attention{border-left:4px solid #c4314b;padding-left:.6em}
              .fallback .c-warning{border-left:4px solid #c19c00;padding-left:.6em}
              .fallback dt{font-weight:600;float:left;clear:left;width:9em}.fallback dd{margin-left:9.5em}
              #mode{color:#666}
            </style>
            <script src="/microsoft/adaptivecards.min.js"></script>
            </head><body>
            <h1>Microsoft Teams (sandbox)</h1>
            <p id="mode"></p>
            <p>Sign-in stand-in: <code>/microsoft/login/…</code> · Graph stand-in: <code>/microsoft/graph/v1.0/…</code> ·
               Workflows URL: <code>http://127.0.0.1:8099/microsoft/workflows/&lt;any&gt;</code> ·
               <a href="#" id="revoke">revoke every sign-in</a> · <a href="/">all requests</a></p>
            <div id="cards">Loading…</div>
            <script>
            const haveLibrary = typeof AdaptiveCards !== 'undefined';
            document.getElementById('mode').textContent = haveLibrary
              ? 'Cards rendered with the adaptivecards library ' + (AdaptiveCards.Versions ? '(schema ' + AdaptiveCards.Versions.latest.toString() + ')' : '')
              : 'adaptivecards library not installed (build teams-sender once): plain fallback rendering';
            function text(tag, value, cls) { const e = document.createElement(tag); e.textContent = value; if (cls) e.className = cls; return e; }
            // markdown escapes (\\*, \\_ …) are shown the way Teams shows them: without the backslash
            function unescape(s) { return (s || '').replace(/\\\\(.)/g, '$1').replace(/\\u200B/g, ''); }
            // Teams reads TextBlock texts and fact titles/values as markdown; the library only shows them as HTML
            // when given a markdown processor: this one knows what the cards use (escapes, **bold**, [text](url))
            function html(s) { return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'); }
            function markdown(source) {
              const escaped = [];
              let s = (source || '').replace(/\\u200B/g, '')
                .replace(/\\\\(.)/g, (m, c) => { escaped.push(c); return '\\u0001' + (escaped.length - 1) + '\\u0001'; });
              s = html(s).replace(/\\*\\*([^*]+)\\*\\*/g, '<strong>$1</strong>')
                .replace(/\\[([^\\]]+)\\]\\((https?:[^)\\s"]+)\\)/g, '<a href="$2" target="_blank">$1</a>');
              return s.replace(/\\u0001(\\d+)\\u0001/g, (m, i) => html(escaped[i]));
            }
            if (haveLibrary) {
              AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
                result.outputHtml = markdown(text); result.didProcess = true; };
            }
            function fallback(el, parent) {
              if (!el) return;
              if (el.type === 'TextBlock') parent.appendChild(text(el.weight === 'bolder' ? 'strong' : 'div', unescape(el.text)));
              else if (el.type === 'FactSet') { const dl = document.createElement('dl');
                (el.facts || []).forEach(f => { dl.appendChild(text('dt', unescape(f.title))); dl.appendChild(text('dd', unescape(f.value))); });
                parent.appendChild(dl); }
              else if (el.type === 'Container') { const d = document.createElement('div'); d.className = 'c-' + (el.style || 'default');
                (el.items || []).forEach(i => fallback(i, d)); parent.appendChild(d); }
              else parent.appendChild(text('div', '[' + el.type + ']'));
            }
            function render(card) {
              if (haveLibrary) {
                const ac = new AdaptiveCards.AdaptiveCard();
                ac.onExecuteAction = a => { if (a.url) window.open(a.url, '_blank'); };
                ac.parse(card);
                return ac.render();
              }
              const root = document.createElement('div'); root.className = 'fallback';
              (card.body || []).forEach(el => fallback(el, root));
              (card.actions || []).forEach(a => { const l = text('a', a.title); l.href = a.url; l.target = '_blank'; root.appendChild(l); root.appendChild(document.createTextNode(' ')); });
              return root;
            }
            async function load() {
              const items = await (await fetch('/microsoft/api/cards')).json();
              const box = document.getElementById('cards'); box.textContent = items.length ? '' : 'No cards received yet.';
              for (const item of items) {
                const div = document.createElement('div'); div.className = 'item';
                div.appendChild(text('div', '#' + item.id + ' · ' + item.receivedAt + ' · ' + item.mode + ' · ' + decodeURIComponent(item.path)
                  + (item.replyTo ? ' · ↳ reply to message ' + item.replyTo : ''), 'meta'));
                if (item.replyTo) div.style.marginLeft = '2em';
                try { div.appendChild(item.card ? render(item.card) : text('pre', item.error || 'no card')); }
                catch (e) { div.appendChild(text('pre', 'could not render: ' + e)); }
                box.appendChild(div);
              }
            }
            document.getElementById('revoke').onclick = async e => { e.preventDefault();
              const r = await (await fetch('/microsoft/admin/revoke', {method: 'POST'})).json();
              alert('revoked ' + r.revoked + ' refresh token(s): the next delivery reports the integration disconnected'); };
            load(); setInterval(load, 3000);
            </script>
            </body></html>
            """;
}
