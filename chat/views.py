from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from chat import services
from chat.forms import MessageForm, ReportForm


def room_list(request):
    return render(
        request, "chat/room_list.html", {"rooms": services.listed_rooms(request.user)}
    )


def readable_room_or_404(request, slug):
    """The room, or None when a visitor must log in first; Http404 if unknown."""
    try:
        return services.get_readable_room(request.user, slug)
    except services.ChatError as error:
        if error.code == "login_required":
            return None
        raise Http404(error.reason) from None


def room_detail(request, slug):
    """The room page. Posting the form works without JavaScript; with it, the page
    receives over the WebSocket (or by polling the API) and posts through the API."""
    room = readable_room_or_404(request, slug)
    if room is None:
        return redirect_to_login(request.get_full_path())
    form = MessageForm()
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.post_message(room, request.user, form.cleaned_data["body"])
            except services.ChatError as error:
                form.add_error("body", error.reason)
            else:
                return redirect(room)
        messages.error(request, "Your message was not sent.")
    history = services.recent_messages(room)
    return render(
        request,
        "chat/room_detail.html",
        {
            "room": room,
            "chat_messages": [message for message in history if not message.is_deleted],
            "first_seq": history[0].seq if history else 0,
            "last_seq": history[-1].seq if history else 0,
            "has_older": bool(history) and history[0].seq > 1,
            "can_post": services.can_post(room, request.user),
            "online": services.online_members(room),
            "messages_api": reverse("chat-api:messages", args=[room.slug]),
            "form": form,
            "rooms": services.listed_rooms(request.user),
        },
    )


@login_required
def report_message(request, slug, seq):
    """Report a message to the moderators (the page's flag, without JavaScript)."""
    room = readable_room_or_404(request, slug)
    message = room.messages.select_related("author").filter(seq=seq).first()
    if message is None or message.is_deleted:
        raise Http404("There is no such message.")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_message(message, request.user, form.cleaned_data["reason"])
        except services.ChatError as error:
            messages.error(request, error.reason)
        else:
            messages.success(request, "Thank you: the moderators will have a look.")
        return redirect(room)
    return render(
        request,
        "chat/report_message.html",
        {"room": room, "message": message, "form": form},
    )
