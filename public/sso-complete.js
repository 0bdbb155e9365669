// SSO-1: the last page of a sign-in through the identity provider in a popup opened by the
// framed app. It hands the fragment's ticket (or outcome) to the app that opened it, on this
// same origin only, and closes. When the provider's pages cut the popup from its opener, the
// app finds the outcome by its handle instead, and this page says to go back to it.
"use strict";
(function () {
  var fragment = new URLSearchParams(location.hash.slice(1));
  // The fragment is never sent anywhere; it is not kept in the history either.
  history.replaceState(null, "", location.pathname);
  var message = { type: "pc.sso" };
  if (fragment.get("ticket")) message.ticket = fragment.get("ticket");
  if (fragment.get("outcome")) message.outcome = fragment.get("outcome");
  var handed = false;
  try {
    if ((message.ticket || message.outcome) && window.opener && !window.opener.closed) {
      window.opener.postMessage(message, location.origin);
      handed = true;
    }
  } catch (cut) {
    handed = false;
  }
  var chinese = /^zh\b/i.test(navigator.language || "");
  // Neither: the provider's sign-out came back here (SSO-8).
  var ended = message.ticket ? "complete" : message.outcome ? "refused" : "signedOut";
  var texts = {
    en: {
      handed: "Going back to the Personal Center…",
      complete: "Sign-in is complete. Close this window and go back to the Personal Center.",
      refused: "Sign-in did not complete. Close this window: the Personal Center says why.",
      signedOut: "You have signed out at your organization too. You can close this window.",
    },
    zh: {
      handed: "正在返回个人中心…",
      complete: "登录已完成。请关闭此窗口，返回个人中心。",
      refused: "登录未完成。请关闭此窗口，个人中心会说明原因。",
      signedOut: "您也已在贵组织退出登录，可以关闭此窗口。",
    },
  };
  var strings = chinese ? texts.zh : texts.en;
  var text = handed ? strings.handed : strings[ended];
  document.documentElement.lang = chinese ? "zh-CN" : "en";
  document.getElementById("sso-heading").textContent = chinese ? "个人中心" : "Agent Personal Center";
  document.getElementById("sso-status").textContent = text;
  if (handed || ended === "signedOut") window.close();
})();
