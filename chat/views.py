from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from chat import services
from chat.forms import MessageForm
from chat.models import Room


def room_list(request):
    return render(
        request, "chat/room_list.html", {"rooms": Room.objects.visible_to(request.user)}
    )


def room_detail(request, slug):
    """The room page. Posting the form works without JavaScript; with it, the page
    talks over the WebSocket instead."""
    room = get_object_or_404(Room, slug=slug)
    if not room.can_read(request.user):
        if request.user.is_authenticated:
            raise Http404
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
    return render(
        request,
        "chat/room_detail.html",
        {
            "room": room,
            "chat_messages": services.recent_messages(room),
            "form": form,
            "rooms": Room.objects.visible_to(request.user),
        },
    )
