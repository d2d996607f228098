// "Reply" moves the comment form under the comment, "Cancel reply" puts it back.
// Without JavaScript the Reply link loads ?replytocom=ID, which does the same on the server.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  var home = document.getElementById("respond-home");
  if (!respond || !home) { return; }
  var parentInput = document.getElementById("comment_parent");
  var cancel = document.getElementById("cancel-reply");
  var title = document.getElementById("reply-title-text");

  function place(li, commentId, author) {
    li.querySelector(".comment-body").after(respond);
    parentInput.value = commentId;
    title.textContent = "Leave a Reply to " + author;
    cancel.hidden = false;
    document.getElementById("comment").focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest(".comment-reply-link");
    if (link) {
      event.preventDefault();
      place(link.closest("li.comment"), link.dataset.commentId, link.dataset.author);
      return;
    }
    if (event.target.closest("#cancel-comment-reply-link")) {
      event.preventDefault();
      home.after(respond);
      parentInput.value = "";
      title.textContent = "Leave a Reply";
      cancel.hidden = true;
    }
  });
})();
