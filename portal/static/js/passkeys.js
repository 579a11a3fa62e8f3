/* Passkeys (WebAuthn) on the login page and the profile.
 *
 * A form marked data-passkey-login or data-passkey-register is shown only when the browser can
 * use passkeys. On submit the script asks the portal for the ceremony's options (a POST with the
 * form's CSRF token), lets the browser talk to the authenticator, puts the answer as JSON in the
 * form's hidden "credential" field and sends the form; the portal checks it and answers with a
 * page, as for any form. Without this script the password form is the way in.
 */
(function () {
  "use strict";

  if (!window.PublicKeyCredential || !navigator.credentials || !window.fetch) {
    return;
  }

  function toBytes(base64url) {
    var base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withIds(descriptors) {
    return (descriptors || []).map(function (descriptor) {
      return Object.assign({}, descriptor, { id: toBytes(descriptor.id) });
    });
  }

  function creationOptions(json) {
    return Object.assign({}, json, {
      challenge: toBytes(json.challenge),
      user: Object.assign({}, json.user, { id: toBytes(json.user.id) }),
      excludeCredentials: withIds(json.excludeCredentials),
    });
  }

  function requestOptions(json) {
    return Object.assign({}, json, {
      challenge: toBytes(json.challenge),
      allowCredentials: withIds(json.allowCredentials),
    });
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var answer = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toBase64url(response.clientDataJSON) },
    };
    if (response.attestationObject) {
      answer.response.attestationObject = toBase64url(response.attestationObject);
      answer.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      answer.response.authenticatorData = toBase64url(response.authenticatorData);
      answer.response.signature = toBase64url(response.signature);
      answer.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : null;
    }
    return JSON.stringify(answer);
  }

  /* The forms are prefixed ("passkey-name") so their ids differ from the page's other forms. */
  function field(form, name) {
    return form.querySelector('[name$="' + name + '"]');
  }

  function fetchOptions(form, url) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": field(form, "csrf_token").value, Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("options " + response.status);
      }
      return response.json();
    });
  }

  function showError(holder, message) {
    var box = holder.querySelector("[data-passkey-error]");
    box.textContent = "";
    var paragraph = document.createElement("p");
    paragraph.textContent = message;
    box.appendChild(paragraph);
    box.hidden = false;
  }

  /* `ceremony(options JSON)` returns the browser's promise of a credential. */
  function handle(form, holder, ceremony, before) {
    var busy = false;
    form.addEventListener("submit", function (event) {
      if (field(form, "credential").value || (before && !before())) {
        return; /* the answer is in the form, or the portal has to say what is missing */
      }
      event.preventDefault();
      if (busy) {
        return;
      }
      busy = true;
      fetchOptions(form, holder.dataset.optionsUrl)
        .then(ceremony)
        .then(function (credential) {
          field(form, "credential").value = credentialJSON(credential);
          HTMLFormElement.prototype.submit.call(form);
        })
        .catch(function () {
          busy = false;
          showError(holder, holder.dataset.failed);
        });
    });
  }

  var login = document.querySelector("[data-passkey-login]");
  if (login) {
    login.hidden = false;
    handle(login.querySelector("form"), login, function (json) {
      return navigator.credentials.get({ publicKey: requestOptions(json) });
    });
  }

  var register = document.querySelector("[data-passkey-register]");
  if (register) {
    register.hidden = false;
    var unsupported = document.querySelector("[data-passkey-unsupported]");
    if (unsupported) {
      unsupported.hidden = true;
    }
    handle(
      register,
      register,
      function (json) {
        return navigator.credentials.create({ publicKey: creationOptions(json) });
      },
      function () {
        return field(register, "-name").value.trim() !== "";
      }
    );
  }
})();
