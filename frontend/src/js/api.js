// Calls to DeepScope's JSON API, one way for every page: POST a body, get the answer's data, or an Error whose
// message is the problem+json detail (a 429 adds when to come back, from Retry-After).
(function () {
  function postJson(url, body) {
    return fetch(url, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (data) {
        if (!r.ok) {
          // 429 says whose limit it met (this browser's, or every slot taken) and when to come back
          throw new Error((data.detail || r.statusText || ('The server answered ' + r.status)) + (r.status === 429
            ? ' Try again in ' + (r.headers.get('Retry-After') || 'a few') + ' s.' : ''));
        }
        return data;
      });
    });
  }

  window.Api = { postJson: postJson };
})();
