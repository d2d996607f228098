"""The demo content: a small, real-feeling blog that shows what Byline does.

`seed_demo()` creates "Field Notes" (slug `demo`), a two-author site with published
posts, a sticky post, a draft, a scheduled post, pages, a category tree, tags, curated
"Find also to read" lists and illustrated posts, plus a second, smaller public site so
the platform directory lists more than one. Everything goes through the same services
as real writing, so the demo is rendered and revised exactly like an author's work.

The words and pictures are data, kept at module level below; the code that turns them
into rows is at the end of the file.
"""

from __future__ import annotations

import functools
import io
import math
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TextIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from byline.accounts.models import User
from byline.tenancy.models import Site
from byline.tenancy.roles import Role
from byline.tenancy.services import member_add, site_create

from .media import figure_html, media_upload, stored_names
from .models import Category, Kind, Media, Post, Status, Tag
from .services import (
    LinkSpec,
    category_get_or_create,
    post_create,
    related_links_set,
    tag_get_or_create,
)

DEMO_SLUG = "demo"

RGB = tuple[int, int, int]

# --------------------------------------------------------------------------------------
# The shape of the data
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A demo author. The first person of a site owns it; the rest join as authors."""

    username: str
    display_name: str
    bio: str
    first_name: str = ""
    last_name: str = ""

    @property
    def email(self) -> str:
        return f"{self.username}@example.com"


@dataclass(frozen=True)
class Palette:
    """The colours of one generated landscape."""

    sky_top: RGB
    sky_horizon: RGB
    sun: RGB
    layers: tuple[RGB, ...]  # far to near; with a sea: headlands, then the shore
    sea: RGB | None = None


@dataclass(frozen=True)
class Picture:
    """An image drawn at seed time and stored as a Media row."""

    key: str
    title: str
    alt: str
    caption: str
    palette: Palette
    sun_at: tuple[float, float]  # as fractions of the width and height
    seed: int


@dataclass(frozen=True)
class CategorySpec:
    name: str
    description: str
    parent: str | None = None  # the parent's name, listed earlier


@dataclass(frozen=True)
class Outside:
    """A "Find also to read" entry that points away from the site."""

    url: str
    title: str


@dataclass(frozen=True)
class Entry:
    """A post or page. `days_ago` places it in the site's local time: negative is the
    future (scheduled), None leaves a draft undated. A line `[[figure:KEY]]` in the body
    becomes a captioned figure of that picture."""

    key: str
    title: str
    author: str  # username
    body: str
    days_ago: int | None
    hour: int = 9
    status: str = Status.PUBLISHED
    kind: str = Kind.POST
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    featured: str | None = None  # a Picture key
    sticky: bool = False
    menu_order: int = 0
    related: tuple[str | Outside, ...] = ()  # Entry keys of published posts, or Outside


@dataclass(frozen=True)
class SiteSpec:
    slug: str
    title: str
    tagline: str
    theme: str
    timezone: str
    people: tuple[Person, ...]
    categories: tuple[CategorySpec, ...] = ()
    pictures: tuple[Picture, ...] = ()
    entries: tuple[Entry, ...] = ()


@dataclass
class Tally:
    """What a seed created, for the summary."""

    sites: list[str] = field(default_factory=list)
    people: int = 0
    posts: int = 0
    unpublished: int = 0
    pages: int = 0
    media: int = 0


# --------------------------------------------------------------------------------------
# Field Notes: the demo site
# --------------------------------------------------------------------------------------

MAYA = Person(
    username="maya",
    display_name="Maya Whitlock",
    first_name="Maya",
    last_name="Whitlock",
    bio=(
        "Maya walks the coast and hills of the south-west with a paper map, a flask and "
        "more curiosity than sense of direction. She drew maps for a living for twelve "
        "years and still can't pass a trig point without touching it. She writes most of "
        "the walking notes here."
    ),
)

TOMAS = Person(
    username="tomas",
    display_name="Tomás Ferreira",
    first_name="Tomás",
    last_name="Ferreira",
    bio=(
        "Tomás bakes bread before work and builds furniture after it, in a shed that is "
        "slightly too small for both. He grew up in Porto, lives in Bristol, and believes "
        "most things taste better eaten outdoors. He looks after the kitchen and workshop "
        "notes."
    ),
)

FIELD_NOTES_CATEGORIES = (
    CategorySpec(
        "Walking",
        "Routes, kit and the small pleasures of going somewhere slowly, on foot.",
    ),
    CategorySpec(
        "Coast",
        "Cliff paths, estuaries, coves and the business of reading a tide table.",
        parent="Walking",
    ),
    CategorySpec(
        "Hills",
        "High ground, wet weather, navigation in cloud and the odd night in a bothy.",
        parent="Walking",
    ),
    CategorySpec(
        "Kitchen",
        "Everyday cooking that fits around ordinary weeks: bread, soup and suppers.",
    ),
    CategorySpec(
        "Workshop",
        "Hand tools, timber and first projects, made in a shed that is slightly too small.",
    ),
)

FIELD_NOTES_PICTURES = (
    Picture(
        key="dawn-bay",
        title="Dawn over the bay",
        alt=(
            "Illustration of a calm bay at dawn: a pale sun in a peach and slate-blue sky, "
            "dark headlands on either side, and light glinting on the water."
        ),
        caption="First light over the bay, drawn rather than photographed. The real thing "
                "is better.",
        palette=Palette(
            sky_top=(74, 92, 140), sky_horizon=(247, 196, 160), sun=(255, 236, 200),
            layers=((96, 96, 128), (70, 72, 104), (44, 46, 72)), sea=(88, 110, 150),
        ),
        sun_at=(0.68, 0.36),
        seed=11,
    ),
    Picture(
        key="green-hills",
        title="Green hills under a clear sky",
        alt=(
            "Illustration of rolling green hills in four layers, from pale sage in the "
            "distance to deep green in front, under a clear blue sky with a bright sun."
        ),
        caption="A good day for a light pack: clear sky, dry ground and hills all the way "
                "to the horizon.",
        palette=Palette(
            sky_top=(110, 160, 210), sky_horizon=(220, 232, 236), sun=(255, 248, 220),
            layers=((150, 178, 150), (104, 140, 102), (62, 98, 70), (36, 64, 48)),
        ),
        sun_at=(0.26, 0.22),
        seed=23,
    ),
    Picture(
        key="estuary",
        title="The estuary before high water",
        alt=(
            "Illustration of a wide grey estuary in soft evening light: a low, pale sun "
            "over still water, grey headlands on either side and a strip of sand in the "
            "foreground."
        ),
        caption="The estuary an hour before high water, when the light turns the colour "
                "of weak tea.",
        palette=Palette(
            sky_top=(150, 168, 186), sky_horizon=(226, 222, 210), sun=(252, 244, 222),
            layers=((150, 156, 158), (120, 128, 132), (176, 160, 130)), sea=(140, 156, 166),
        ),
        sun_at=(0.6, 0.46),
        seed=37,
    ),
    Picture(
        key="golden-hills",
        title="Golden hills at the end of the day",
        alt=(
            "Illustration of layered hills in gold, amber and dark brown under a warm "
            "orange sky, with a pale sun glowing above the ridge."
        ),
        caption="Supper with a view, more or less as it looked from the tent door.",
        palette=Palette(
            sky_top=(196, 120, 80), sky_horizon=(250, 214, 150), sun=(255, 244, 210),
            layers=((196, 140, 90), (150, 96, 64), (98, 60, 48), (58, 36, 34)),
        ),
        sun_at=(0.7, 0.4),
        seed=41,
    ),
    Picture(
        key="dusk-ridge",
        title="The ridge at dusk",
        alt=(
            "Illustration of a ridge at dusk: layers of purple hills fading into darkness "
            "beneath a deep indigo sky, with a peach-coloured sun low above them."
        ),
        caption="The ridge in the twenty minutes the cloud lifted, or as near as memory "
                "allows.",
        palette=Palette(
            sky_top=(40, 34, 82), sky_horizon=(226, 120, 112), sun=(255, 210, 170),
            layers=((92, 60, 100), (60, 40, 76), (34, 24, 52)),
        ),
        sun_at=(0.4, 0.44),
        seed=53,
    ),
    Picture(
        key="spring-hills",
        title="Gentle hills on a bright morning",
        alt=(
            "Illustration of gentle hills in pale and mid greens beneath a soft turquoise "
            "sky, with a bright sun high on the right."
        ),
        caption="Somewhere to start: gentle hills, an easy path and nowhere in particular "
                "to be.",
        palette=Palette(
            sky_top=(130, 190, 200), sky_horizon=(236, 240, 212), sun=(255, 252, 230),
            layers=((170, 200, 140), (120, 168, 104), (78, 128, 80)),
        ),
        sun_at=(0.78, 0.2),
        seed=67,
    ),
)

TEN_MILES = """\
People often ask me how to get from a Sunday stroll to a proper day in the hills, as if \
there were a secret door between the two. There isn't. There is only a slow widening of \
what feels normal, and a handful of habits that make the widening easier. This is the post \
I wish someone had handed me the first time I set out to walk ten miles and came home \
after four, sore-footed and cross.

## Start from your own front door

The best training walk is the one you will actually do. Before you buy anything or drive \
anywhere, walk out of your own front door and keep going for an hour longer than usual. \
Notice where your feet complain, where your bag rubs, when you get hungry. That hour will \
teach you more than any kit list.

## A few habits that carry you further

1. **Eat before you are hungry.** A handful of something every hour keeps your legs \
honest. By the time you feel empty, you are already slowing down.
2. **Walk at talking pace.** If you can't hold a conversation, you are going too fast to \
keep it up all day.
3. **Stop briefly and often.** Five minutes every hour beats a long lunch that lets your \
muscles go cold.
4. **Carry a paper map, and look at it when you don't need to.** Navigation is easiest to \
practise when you are not lost.
5. **Turn back without shame.** The hill will be there next month. So, if you are \
sensible, will you.

## The arithmetic of a day

Most of us walk at about three miles an hour on the flat. Add a minute for every ten \
metres you climb, and a generous margin for gates, stiles, photographs and conversations \
with dogs. Ten miles with a modest hill is a five-hour day, not a three-hour one, and \
planning for five is what makes it a pleasure rather than a race against the light.

<blockquote cite="https://www.gutenberg.org/ebooks/1022">
<p>In Wildness is the preservation of the World.</p>
<p>— Henry David Thoreau, <cite>Walking</cite> (1862)</p>
</blockquote>

Thoreau walked for hours most afternoons and called it sauntering. I like the word, \
because it takes the pressure off. You are not trying to cover ground. You are trying to \
be out in it for long enough that the ground starts to matter.

## Where to begin

Pick a circular route of about six miles with a café at the halfway point, and go on a day \
with a forgiving forecast. Next time, make it eight. The time after that, leave out the \
café. Ten miles, it turns out, is mostly a state of mind, and the rest is sandwiches.
"""

BREAD = """\
I bake before work, which means I bake half-asleep, which means the bread I make has to \
survive me. Over the years I've settled on a loaf that tolerates being forgotten, \
over-proved, badly shaped and baked in an oven that runs hot on the left. It is not the \
most beautiful bread in the world. It is, very reliably, good.

## What you need

- 500 g strong white flour (or 400 g white and 100 g wholemeal)
- 375 g cool water
- 10 g fine salt
- 2 g instant yeast, about half a teaspoon
- A lidded casserole dish that can take the heat of a hot oven

## What you do

1. In the evening, stir everything together in a big bowl until no dry flour remains. It \
will look shaggy and unpromising. That's fine.
2. Cover the bowl and leave it on the counter. Twice, when you pass by during the next \
hour or so, wet your hand and fold the dough over itself a few times.
3. Go to bed. The dough does the work overnight, slowly, at room temperature.
4. In the morning, put the empty casserole in the oven and heat it to 240 °C.
5. Tip the dough onto a floured counter, fold it into a rough ball and let it sit while \
the oven heats, twenty minutes or so.
6. Lower it carefully into the hot pot, put the lid on and bake for 30 minutes. Take the \
lid off and bake for another 15 to 20, until the crust is a deep brown.
7. Let it cool for an hour. This is the hardest step.

## Why it forgives

The tiny amount of yeast is the trick. A long, slow rise builds flavour that a quick one \
can't, and it stretches the window in which the dough is "ready" from half an hour to half \
a morning. If you oversleep, the loaf is a little flatter and a little more sour. If the \
kitchen is cold, it takes longer. Nothing is ruined.

The lidded pot does the rest. It traps steam around the dough for the first half of the \
bake, which keeps the crust soft long enough for the loaf to rise, and it means you don't \
need a baking stone, a tray of water or any of the other rituals that make home baking \
feel like an exam.

## Small changes worth trying

- Swap 50 g of the water for yoghurt, for a softer crumb.
- Add a handful of toasted seeds at the first fold.
- Leave the dough in the fridge instead of on the counter for a more sour, blistered loaf. \
It will keep happily for two days.

Whatever you change, change one thing at a time, and write it down. A notebook of small \
experiments is how a recipe becomes yours.
"""

FIRST_LIGHT = """\
There is a stretch of coast path near us that I have walked perhaps a hundred times, and \
it has never once been the same walk. Most of the difference is light. Go at noon and it \
is a pleasant path above a pleasant sea. Go at first light and it is somewhere else \
entirely.

## Setting out in the dark

I leave the car at the top of the lane about forty minutes before sunrise, which in \
practice means a head torch, a flask and a short argument with myself about whether this \
is a good idea. It always is. The path is easy to follow even in the half-dark, because it \
keeps the sea on your right and the fields on your left, and the sea is never quite dark.

The first thing you notice is the sound. Without traffic or voices the coast is loud: the \
long drag of shingle in the cove below, oystercatchers complaining to each other, the wind \
finding every gap in a hawthorn hedge. The second thing you notice is the cold, which is \
why the flask comes first.

## The twenty minutes before sunrise

The best of it comes before the sun is up. The sky goes from ink to slate to a pale, \
washed blue, and then a band of apricot spreads along the horizon and the headlands turn \
into paper cut-outs against it. The sea picks up the colour a minute or two after the sky \
does, as if it has to think about it.

By the time the sun itself appears, the show is mostly over. The light flattens, the \
colours warm up and settle down, and the path becomes a path again. I usually sit on the \
bench above the second cove, drink my coffee and watch the first dog walkers appear on the \
beach below.

> Everybody says they'll come for the sunrise. Hardly anybody does. That's the best thing \
about it.
>
> — Jen, who opens the beach café at seven and has never missed one

## A few practical notes

- Check the sunrise time the night before and give yourself more margin than you think \
you need. Paths take longer in the dark.
- Wear one more layer than seems reasonable. You will be standing still at the best \
moment.
- Cliff paths and darkness are a poor mix. Choose a stretch you already know well by day, \
and keep well back from the edge.
- Bring something to eat. Breakfast on a bench, with the whole day still ahead of you, \
tastes better than any breakfast has a right to.

Walk back the way you came. It is a different walk in daylight, and by the time you reach \
the car the rest of the world will just be waking up.
"""

CHISEL = """\
For the first two years I owned chisels, I did not own sharp chisels. I owned chisels that \
had once been sharp, in the factory, and that I then used to open paint tins, scrape glue \
and, on one occasion I would rather not discuss, prise open a stuck drawer. When I finally \
learned to sharpen them properly, it changed my woodwork more than any tool I have bought \
since.

## What "sharp" actually means

A sharp edge is simply two flat, polished surfaces meeting at a line with no width. \
Everything about sharpening follows from that sentence. You flatten and polish the back \
of the chisel once, properly, and after that you only ever touch the bevel.[^bevel]

The test is not your thumb. A sharp chisel will pare a thin, curling shaving from the end \
grain of a piece of pine and leave a surface that shines. A dull one crushes the fibres \
and leaves them fuzzy. Once you have seen the difference you cannot unsee it.

## My routine now

1. **Flatten the back** on a coarse stone, then a fine one, but only the first couple of \
centimetres. This is a one-time job, and a tedious one. Put the radio on.
2. **Grind the primary bevel** at about 25 degrees, and only when the edge is chipped or \
the bevel has gone round.
3. **Hone a small secondary bevel** at about 30 degrees on a fine stone.[^guide] This \
takes a minute, and it is the step you repeat.
4. **Remove the burr** with a few light strokes of the back, flat on the finest stone, \
then a dozen passes on a leather strop.

Once the back is flat, the whole thing takes less time than making a cup of tea.

## The humbling part

The humbling part was not learning the technique. It was realising how much of what I had \
blamed on myself (tear-out, wandering cuts, joints that would not close) had been the tool \
all along. I had been trying to work wood with something closer to a screwdriver, and \
making up for it with force. Force is where accidents come from.

A sharp chisel asks for less. You guide it rather than push it, and the wood tells you \
which way it wants to be cut. My joints are not perfect now, but they are mine: when they \
go wrong, I know it was me, and I know what to practise.

## If you are starting out

Buy one good combination stone before you buy a second chisel. Learn to sharpen the \
chisels you have. And never, ever open a paint tin with one. Keep an old screwdriver by \
the door for that.[^tins]

[^bevel]: The bevel is the angled face that forms the cutting edge; the back is the wide, \
flat face opposite it.
[^guide]: A honing guide, a small clamp on a roller, holds the angle for you. Purists say \
you should learn freehand. Purists have more time than I do.
[^tins]: Mine hangs on a nail by the shed door, labelled FOR TINS in my partner's \
handwriting. She has been here before.
"""

PACKING = """\
I used to carry everything. Spare socks for the spare socks, a first-aid kit that could \
have handled a small war, three kinds of biscuit. My back paid for it, and I walked more \
slowly and enjoyed it less. These days my pack weighs a little under five kilograms on a \
full hill day, and I don't feel I'm going without anything.

[[figure:green-hills]]

## The list

This is what goes in my pack for a day on the hills from spring to autumn. In winter the \
weights go up, mostly in warm layers and a flask.

| Item | Why | Weight |
|:-----|:----|------:|
| Waterproof jacket and trousers | Hill weather changes faster than forecasts | 650 g |
| Warm mid-layer | For lunch stops and summits | 300 g |
| Hat and gloves | Even in summer, on the tops | 120 g |
| Paper map and compass | Batteries run out; paper doesn't | 200 g |
| Phone, with offline maps | A second opinion, not the only one | 200 g |
| Head torch | Days end sooner than plans do | 90 g |
| First-aid kit and foil blanket | Small, and checked every month | 250 g |
| Water, 1.5 litres | Topped up from streams through a filter | 1,500 g |
| Food | More than I think I'll need | 600 g |
| The pack itself | 22 litres is plenty | 850 g |
| **Total** | | **about 4.8 kg** |

## What I stopped carrying

- **A second spare layer.** One warm layer and a good waterproof cover almost everything. \
If the forecast needs more, the forecast probably needs a different day.
- **Full bottles from home.** Water is the heaviest thing in the pack. On routes with \
streams I carry a litre and a half and a small filter.
- **A big camera.** My phone takes pictures that are good enough, and it's already in my \
pocket.

## What I will never leave behind

The map, the torch and the waterproofs. None of them is interesting, and I use the torch \
perhaps twice a year, but the days you need them are exactly the days you can't go back \
for them. Weight saved on those three is not a saving.

Before every walk I tip the pack out on the kitchen floor and put everything back in, one \
item at a time, out loud. It takes three minutes and makes me feel faintly ridiculous. It \
has also, twice, reminded me that my head torch was sitting on the kitchen table.
"""

SOUP = """\
On Sunday evenings I make one big, plain pot of soup, and then I spend the week \
pretending it is five different suppers. It isn't fooling anybody, but it is cheap, it is \
quick on the nights when I have nothing left, and by Friday the pot is empty and I feel \
unreasonably pleased with myself.

## The base

The base needs to be plain enough to go in any direction. Mine is:

- 2 onions, 2 carrots and 2 sticks of celery, chopped small and softened slowly in olive \
oil for a good fifteen minutes
- 3 cloves of garlic, added for the last minute
- 400 g of dried white beans, soaked overnight, or three tins, drained
- 2 litres of stock or water, a bay leaf, and a parmesan rind if you have one
- Salt, added at the end, when you can taste what the beans need

Simmer until the beans are soft (an hour or so for dried, twenty minutes for tinned), then \
take out a couple of ladlefuls, blend them and stir them back in. That gives the soup body \
without turning it into purée.

## Five suppers

1. **Monday: as it is.** A bowl of the base with good olive oil and black pepper, and the \
last of the weekend's bread.
2. **Tuesday: greens.** Stir in a bag of chopped kale or chard and let it wilt. Finish \
with lemon.
3. **Wednesday: tomato and pasta.** Add a tin of chopped tomatoes and a handful of small \
pasta, and simmer until the pasta is done. A favourite with anyone under ten.
4. **Thursday: smoky.** Fry some chorizo, or a spoon of smoked paprika, in a pan, tip the \
soup in and heat it through. Crisp toast on the side.
5. **Friday: the bake.** Pour what is left into a dish, top it with breadcrumbs and cheese \
and put it under the grill until it bubbles. It is barely soup any more, and all the \
better for it.

## Why it works

Beans get better for a day or two in the fridge, which is the opposite of most weeknight \
food. The base is deliberately under-seasoned, so each evening's additions have room to \
be the main character. And because the slow part, the onions and the long simmer, happens \
on a quiet Sunday, every supper after that is ten minutes of work at most.

My grandmother would have found the whole idea hilarious. She made soup every day of her \
life and never once called it a system. But she also never worked until seven and came \
home to an empty fridge, so I think she would have let me off.
"""

ESTUARY = """\
The estuary is the least dramatic place I walk, and the one I go back to most. There are \
no cliffs, no summits, no views that would make anyone stop the car. There is mud, a \
great deal of sky, and the slow business of the tide going in and out twice a day, \
whether or not anyone is watching.

## The hour before dusk

I go in the late afternoon, when the light comes in low across the water and everything \
it touches turns the colour of weak tea. The mudflats shine. The channels fill with sky. \
Every fence post and mooring buoy throws a shadow three times its length, and for an hour \
the flattest landscape I know becomes all texture.

It is also the best time for birds. As the tide rises it pushes the waders off the mud \
and towards the shore, so the birds that spend the day as distant specks come close \
enough to see properly: curlews with their ridiculous, beautiful bills; redshanks that \
shout at everything; a long, busy line of dunlin working the tideline like a single \
animal.

> Don't chase them. Sit down, keep still, and let the tide bring them to you.
>
> — Alan, a retired postman I met on the sea wall, who has counted birds here for thirty \
years

I took his advice and have never regretted it. There is a bench halfway along the sea \
wall, and if you get there an hour before high water you will see more from it than from \
walking the whole path.

## Things I have learned the slow way

- **The tide table matters more than the weather forecast.** A high tide in the late \
afternoon is the one you want. A low one leaves the birds a mile away.
- **Binoculars beat a camera.** I spent a year trying to photograph dunlin and came home \
with a hundred pictures of grey blur. Now I just watch.
- **Stay on the sea wall.** The mud looks firm and is not, and the tide comes in across \
flat ground faster than you can walk.
- **Go home before you are cold.** The temperature drops sharply as soon as the sun goes, \
and the walk back along the wall is exposed.

## Why the quiet places matter

It is easy to think of a good walk as one with a destination: a summit, a waterfall, a \
pub. The estuary has none of those. What it has instead is time, visibly passing: the \
water creeping up the channels, the light draining out of the sky, the birds lifting off \
in one wheeling cloud as the last of the mud disappears. I always walk home feeling as if \
I have been somewhere far away, though I've only been down the road.
"""

BOOKSHELF = """\
The first piece of furniture I made that I was proud of was a small bookshelf, built from \
a single plank of pine over two weekends. It is slightly out of square, and it has held \
the same forty cookbooks for six years without complaint. If you want to start making \
things from wood, I think it is the perfect first project: useful, forgiving, and big \
enough to feel like furniture.

## The plank

Buy one board of planed pine, about 20 mm thick, 225 mm wide and 2.4 metres long. Look \
along it before you pay, the way you would look along a snooker cue. You want it straight, \
with no twist and as few knots near the edges as you can find. A good timber merchant \
will let you pick through the pile, and is also a fine person to ask for advice.

## Cutting list

From that one plank you get:

- two sides, 700 mm long
- three shelves, 300 mm long
- a little left over for mistakes, which you will make

## How it goes together

1. **Mark everything out first**, with a sharp pencil and a square, before you cut \
anything. Label each piece. This is the moment to find mistakes, while they cost nothing.
2. **Cut the pieces to length** with a handsaw, on the waste side of the line. Clean up \
the ends with a block plane.
3. **Mark the housings**, the shallow grooves across the sides that the shelves sit in. \
Clamp the two sides together and mark them at the same time, so the shelves come out \
level.
4. **Cut the housings** by sawing down both edges to about 6 mm deep and paring out the \
waste with a chisel. A sharp one. I will not stop going on about it.
5. **Dry-fit everything.** If a shelf is tight, pare the housing; if it's loose, a sliver \
of veneer and some glue will hide it.
6. **Glue and clamp**, checking that the diagonals are equal so the case is square. Wipe \
away the squeeze-out with a damp cloth before it dries.
7. **Finish** with two coats of hard wax oil, rubbed in with a rag. It smells wonderful \
and forgives brush marks, because there aren't any.

## On imperfection

Mine has a gap at the back of the middle shelf you could post a letter through. For a \
month I could see nothing else. Then I filled the shelf with books, and now I can't find \
the gap without looking.

> Have nothing in your houses that you do not know to be useful, or believe to be \
beautiful.
>
> — William Morris, *The Beauty of Life* (1880)

A pine bookshelf built with your own hands is, happily, both. And the second one, which \
you will want to make almost as soon as you finish the first, will be square.
"""

RIDGE = """\
We had planned the ridge walk for months: two days, one night in a bothy, twelve miles of \
high ground with views, we were promised, across three counties. What we got was cloud. \
Thick, wet, sideways cloud, with a wind in it that turned conversation into shouting \
single words. It was, by some distance, the best walk of the year.

## Day one: the walk in

We started from the reservoir car park at nine, under a sky that was grey but still \
honest about where the hills were. By eleven we were on the ridge and the hills had \
vanished. Visibility dropped to perhaps thirty metres, and the path, usually an obvious \
trench in the peat, became a series of guesses.

This is the moment when the paper map and compass stop being things you carry out of a \
sense of duty and become the most important things you own. We took bearings from cairn \
to cairn, counted paces and checked each other's sums. It was slow. It was also absorbing \
in a way that walking a clear path in sunshine never is: every feature that loomed out of \
the cloud, a boulder, a fence, a sheepfold, was a small, satisfying proof that we were \
where we thought we were.

## The bothy

The bothy appeared at half past four, exactly where the map said it would be, which felt \
like a small miracle. It is a single stone room with a fireplace, a sleeping platform and \
a visitors' book going back twenty years. We hung everything wet from the rafters, which \
was everything, boiled water for soup and read the book by torchlight.

> Arrived soaked. Left dry. Thank you to whoever left the firewood. We have left some for \
you.
>
> — an entry in the bothy book, eleven years old and signed only with initials

We left firewood too.

## Day two: the walk out

In the morning the cloud lifted for exactly twenty minutes. We stood on the doorstep with \
our tea and saw the whole ridge laid out behind us, the reservoir shining far below and, \
beyond it, what I choose to believe were three counties. Then the cloud came down again, \
and we walked out the way we had come, in the wet, grinning.

## What I'd tell anyone going

- Practise navigating in clear weather, so it feels familiar when you need it in cloud.
- Leave a route card with someone at home, with your planned times, and tell them when \
you're down.
- Bothies are shared, unlocked and kept up by volunteers. Leave them better than you \
found them.
- Put your sleeping bag in a bin bag inside your pack. Trust me on this.
"""

STOVE = """\
Maya will tell you that the best meal she has ever eaten was a packet of noodles on a wet \
ridge. She is wrong, but I understand what she means. Food eaten outdoors after a long day \
tastes better than it should. My argument is only that it could taste better still, with \
very little extra effort.

[[figure:golden-hills]]

## The stove is not a kitchen

The first rule of cooking on a camping stove is to stop pretending it is a hob. It has one \
burner and one setting, roaring, and the wind does its best to put it out. So the food \
that works is food that needs one pot, little stirring and not much time.

My rules, after more bad suppers than I'd like to admit:

1. **Do the chopping at home.** Onions, garlic, herbs: chop them in the kitchen and pack \
them in a small tub. Nothing is worse than dicing an onion on your knee in the dark.
2. **Bring flavour, not weight.** A little jar of spice mix, a twist of salt, a stock cube \
and a squeeze bottle of olive oil weigh almost nothing and rescue almost anything.
3. **Choose couscous over pasta.** It needs only boiling water and a lid, and it uses no \
fuel while it sits.
4. **Shelter the flame.** A windshield, or a wall of rucksacks, makes the water boil far \
sooner, and the gas you save is the gas you'll want for the morning coffee.
5. **Pack a proper spoon.** A long-handled one. You will thank me when you reach the \
bottom of the bag.

## My one-pot supper

Fry a tub of chopped onion and garlic in oil until soft. Add a teaspoon of smoked paprika \
and a sliced, cooked sausage; the vacuum-packed kind keeps for days without a fridge. Pour \
in 400 ml of water with a stock cube and bring it to the boil, then stir in 150 g of \
couscous and a handful of dried tomatoes. Lid on, stove off, five minutes' wait. Fluff it \
up with a fork, add a squeeze of lemon from a sachet you took from a café, and eat it \
straight from the pot.

It serves two tired people, or one very tired one.

## Pudding matters

Always pack pudding. A bar of dark chocolate broken into hot custard made from powder is, \
I promise, one of the finest things you will eat all year. Maya has never once complained \
about the custard.
"""

SPOONS_DRAFT = """\
Notes from the spoon-carving weekend, to tidy up before posting.

- Green wood is a different material altogether: it cuts like cold butter.
- The axe does most of the work. The knife only finishes.
- Grips to remember: the thumb push and the pull cut towards the chest (carefully!).
- Let the spoon dry slowly in a paper bag, or it will split.

Still to write: the bit about the teacher's hands, and a photo of the three wonky spoons.
"""

COAST_TO_COAST = """\
Next spring, if our knees and our diaries allow, we are going to walk from one side of the \
country to the other: about 190 miles, two weeks, one pack each.

## What we've decided so far

- We'll walk west to east, so the weather is mostly behind us.
- We'll stay in hostels and B&Bs rather than camp, and send one bag ahead twice a week.
- Every fourth day is a short one. The rest days are not negotiable.

## What we haven't decided

How many maps to carry, whether Tomás can be trusted with the stove, and what happens if \
one of us wants to stop at every pub. I'll write up the route, day by day, as we plan it.
"""

ABOUT = """\
Field Notes is a shared notebook kept by two friends who live a few streets apart in \
Bristol and spend as much time as they can somewhere else.

Maya writes about walking: mostly the coast and hills of the south-west, occasionally \
further afield. Tomás writes about the kitchen and the workshop: bread, soup, sharp tools \
and the occasional piece of furniture. Now and then we go out together, and then one of \
us writes about the walk and the other complains about the food.

## Why we write it

We started Field Notes because we kept forgetting things: which path floods after rain, \
how much water the bread wants in winter, which stone put the best edge on a chisel. \
Writing them down made them stick. Publishing them made us write them down properly.

## What you'll find here

- **Walking**: routes, kit and the pleasures of going slowly, filed under Coast and Hills.
- **Kitchen**: recipes that fit around ordinary weeks.
- **Workshop**: tools, timber and first projects.

## Saying hello

We love hearing from readers, especially if you've walked a route we've written about, or \
cooked something from here and changed it. Leave a comment on any post; we read every one.
"""

COLOPHON = """\
Field Notes is written in Markdown and published with Byline, in the Canvas theme. Each \
post is written as plain text and turned into clean HTML when it is saved, and every edit \
is kept as a revision, so nothing we change is ever quite lost.

## The pictures

The landscapes on this site are not photographs. They are drawn by a few lines of code, a \
gradient of sky, a sun and layers of hills or sea, each with its own palette. We like them \
because they suggest a place without pretending to be one, and because they weigh almost \
nothing, so pages load quickly on a phone with one bar of signal at the top of a hill.

## The words

Everything here is written by Maya and Tomás, edited by each other and checked by nobody \
else, so any mistakes are entirely ours. If you spot one, tell us in a comment and we'll \
put it right.
"""

FIELD_NOTES_ENTRIES = (
    Entry(
        key="ten-miles", title="Ten miles is a state of mind", author="maya", body=TEN_MILES,
        days_ago=118, hour=8, categories=("Walking",), tags=("beginners", "maps"),
        featured="spring-hills", sticky=True,
        related=(
            "packing-light",
            "first-light",
            Outside("https://www.gutenberg.org/ebooks/1022",
                    "Walking, by Henry David Thoreau (Project Gutenberg)"),
        ),
    ),
    Entry(
        key="bread", title="Bread that forgives you", author="tomas", body=BREAD,
        days_ago=107, hour=7, categories=("Kitchen",), tags=("bread", "beginners"),
        related=(
            "soup",
            Outside("https://en.wikipedia.org/wiki/No-knead_bread", "No-knead bread"),
        ),
    ),
    Entry(
        key="first-light", title="The coast path at first light", author="maya",
        body=FIRST_LIGHT, days_ago=95, hour=11, categories=("Coast",),
        tags=("coast", "birds", "weather"), featured="dawn-bay",
        related=(
            "estuary",
            Outside("https://en.wikipedia.org/wiki/South_West_Coast_Path",
                    "The South West Coast Path"),
            "ten-miles",
        ),
    ),
    Entry(
        key="chisel", title="Sharpening a chisel, and why it humbled me", author="tomas",
        body=CHISEL, days_ago=83, hour=20, categories=("Workshop",),
        tags=("tools", "woodwork", "beginners"),
        related=(
            "bookshelf",
            Outside("https://en.wikipedia.org/wiki/Sharpening_stone",
                    "Sharpening stones: oil, water and diamond"),
        ),
    ),
    Entry(
        key="packing-light", title="Packing light for a hill day", author="maya", body=PACKING,
        days_ago=70, hour=9, categories=("Hills",), tags=("gear", "maps", "weather"),
        related=(
            "ridge",
            "stove",
            Outside("https://en.wikipedia.org/wiki/Ordnance_Survey",
                    "Ordnance Survey, the map makers"),
        ),
    ),
    Entry(
        key="soup", title="One pot of soup, five suppers", author="tomas", body=SOUP,
        days_ago=58, hour=18, categories=("Kitchen",), tags=("soup", "batch cooking"),
    ),
    Entry(
        key="estuary", title="Low light on the estuary", author="maya", body=ESTUARY,
        days_ago=44, hour=17, categories=("Coast",), tags=("coast", "birds", "weather"),
        featured="estuary",
        related=(
            Outside("https://en.wikipedia.org/wiki/Tide_table",
                    "How tide tables work"),
            "first-light",
        ),
    ),
    Entry(
        key="bookshelf", title="One plank, one bookshelf", author="tomas", body=BOOKSHELF,
        days_ago=30, hour=10, categories=("Workshop",), tags=("woodwork", "tools", "beginners"),
    ),
    Entry(
        key="ridge", title="Two days on the ridge, in the cloud", author="maya", body=RIDGE,
        days_ago=16, hour=19, categories=("Hills", "Walking"), tags=("weather", "maps", "gear"),
        featured="dusk-ridge",
        related=(
            "packing-light",
            Outside("https://en.wikipedia.org/wiki/Bothy", "What a bothy is"),
            Outside("https://en.wikipedia.org/wiki/Mountain_Bothies_Association",
                    "The Mountain Bothies Association"),
            "stove",
        ),
    ),
    Entry(
        key="stove", title="Cooking on a camping stove without losing heart", author="tomas",
        body=STOVE, days_ago=5, hour=12, categories=("Kitchen", "Walking"),
        tags=("outdoor cooking", "gear", "soup"),
    ),
    Entry(
        key="spoons", title="Notes from a spoon-carving weekend", author="tomas",
        body=SPOONS_DRAFT, days_ago=None, status=Status.DRAFT, categories=("Workshop",),
        tags=("woodwork", "tools"),
    ),
    Entry(
        key="coast-to-coast", title="Planning a coast-to-coast walk", author="maya",
        body=COAST_TO_COAST, days_ago=-7, hour=8, status=Status.SCHEDULED,
        categories=("Walking",), tags=("maps", "gear"),
    ),
    Entry(
        key="about", title="About", author="maya", body=ABOUT, days_ago=125, kind=Kind.PAGE,
        menu_order=1,
    ),
    Entry(
        key="colophon", title="Colophon", author="tomas", body=COLOPHON, days_ago=125,
        kind=Kind.PAGE, menu_order=2,
    ),
)

FIELD_NOTES = SiteSpec(
    slug=DEMO_SLUG,
    title="Field Notes",
    tagline="Walking, cooking and making things by hand",
    theme="canvas",
    timezone="Europe/London",
    people=(MAYA, TOMAS),
    categories=FIELD_NOTES_CATEGORIES,
    pictures=FIELD_NOTES_PICTURES,
    entries=FIELD_NOTES_ENTRIES,
)

# --------------------------------------------------------------------------------------
# The Kitchen Table: a second, smaller site for the directory
# --------------------------------------------------------------------------------------

NELL = Person(
    username="nell",
    display_name="Nell Okafor",
    first_name="Nell",
    last_name="Okafor",
    bio=(
        "Nell cooks for two in a galley kitchen in Leeds, with one good knife and a "
        "cupboard full of tins. She writes short recipes for people who are tired, hungry "
        "and not in the mood for a shopping list."
    ),
)

CHICKPEAS = """\
A tin of chickpeas is the most useful thing in my cupboard. It costs less than a coffee, \
keeps for years and turns into supper in the time it takes to set the table. Here are \
three ways I use one, each for two people, none longer than twenty minutes.

**Crisp chickpeas with yoghurt.** Drain, pat dry and fry in a wide pan with plenty of oil \
until they crackle and brown. Season with cumin and chilli flakes, and spoon them over \
thick yoghurt stirred with garlic and lemon. Eat with warm flatbread.

**A quick stew.** Soften an onion, add garlic, a spoon of harissa and a tin of tomatoes, \
then the chickpeas. Simmer for ten minutes, stir in a handful of spinach and crack two \
eggs on top. Put the lid on until the whites set.

**Smashed on toast.** Warm the chickpeas with olive oil, lemon and salt, then crush them \
roughly with a fork. Pile them onto toast and finish with chopped parsley and more oil \
than seems decent.

Keep the water from the tin, too. It whips up like egg white, which is a story for \
another day.
"""

KNIFE = """\
Kitchen shops would like you to believe you need a block of eight knives. You need one. \
A good cook's knife, about 20 centimetres long, will do nearly everything the other seven \
would, and doing everything with one knife is the fastest way to get good with it.

## What to look for

- A handle that feels comfortable when you pinch the blade just in front of it, which is \
how you should hold it.
- Enough weight to get through a squash, but not so much that your wrist aches after an \
onion.
- Steel you can sharpen at home. A knife you can't sharpen is a knife you'll replace.

## Keeping it sharp

Hone it on a steel each time you cook, and sharpen it on a stone every couple of months. \
A sharp knife is a safe knife: it goes where you guide it, instead of skidding off a \
tomato skin and into your thumb.

Add a small serrated knife for bread, if you like. After that, spend the money on \
ingredients.
"""

RICE = """\
For years I made rice the way my flatmates did: lots of water, a rolling boil, drain it \
like pasta and hope. It was edible. It was never lovely. Then a friend's mother watched me \
do it, sighed, and showed me the absorption method, and I have not drained rice since.

1. Rinse a mug of basmati in a sieve until the water runs almost clear.
2. Put it in a pan with one and a half mugs of cold water and a pinch of salt.
3. Bring it to the boil, then turn the heat right down and put the lid on.
4. Cook for ten minutes. Don't lift the lid. Don't stir.
5. Take it off the heat and leave it, still covered, for another ten.
6. Fluff it up with a fork.

That's the whole secret: measure the water, trust the lid, leave it alone. It serves two \
generously, and it waits patiently while you make whatever goes on top.
"""

KITCHEN_ABOUT = """\
I'm Nell. I cook for two in a galley kitchen with one good knife, a heavy pan and a \
cupboard of tins, and this is where I write down what works.

Nothing here needs special kit or a long list of shopping. Most recipes take half an hour \
and leave you with one pan to wash. If a recipe of mine goes wrong for you, tell me: the \
mistakes are how these notes get better.
"""

KITCHEN_TABLE = SiteSpec(
    slug="kitchen-table",
    title="The Kitchen Table",
    tagline="Small recipes for small kitchens",
    theme="press",
    timezone="Europe/London",
    people=(NELL,),
    categories=(
        CategorySpec("Suppers", "Quick evening meals for two, mostly from the cupboard."),
        CategorySpec("Notes", "Kit, technique and the odd opinion about both."),
    ),
    entries=(
        Entry(key="chickpeas", title="Three suppers from a tin of chickpeas", author="nell",
              body=CHICKPEAS, days_ago=40, hour=18, categories=("Suppers",),
              tags=("tins", "weeknight")),
        Entry(key="knife", title="Why one good knife is enough", author="nell", body=KNIFE,
              days_ago=22, hour=12, categories=("Notes",), tags=("knives", "kit")),
        Entry(key="rice", title="Rice, without the fear", author="nell", body=RICE,
              days_ago=9, hour=18, categories=("Suppers",), tags=("rice", "weeknight")),
        Entry(key="kitchen-about", title="About", author="nell", body=KITCHEN_ABOUT,
              days_ago=45, kind=Kind.PAGE, menu_order=1),
    ),
)

SITES: tuple[SiteSpec, ...] = (FIELD_NOTES, KITCHEN_TABLE)

# --------------------------------------------------------------------------------------
# Pictures
# --------------------------------------------------------------------------------------

IMAGE_SIZE = (1200, 800)
JPEG_QUALITY = 82


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t),
            round(a[2] + (b[2] - a[2]) * t))


def _ridge(rng: random.Random, width: int, base: float, amp: float) -> list[tuple[float, float]]:
    """A hill line: a few random sine waves added together."""
    waves = [(rng.uniform(0.6, 2.4), rng.uniform(0, math.tau), rng.uniform(0.3, 1.0))
             for _ in range(3)]
    points = []
    for x in range(0, width + 8, 8):
        u = x / width * math.tau
        lift = sum(a * math.sin(f * u + phase) for f, phase, a in waves) / 1.8
        points.append((float(x), base - lift * amp))
    return points


def _coast(draw: ImageDraw.ImageDraw, rng: random.Random, layers: tuple[RGB, ...],
           size: tuple[int, int], horizon: float) -> None:
    """Headlands that slope into the sea from alternate sides, then a strip of shore."""
    width, height = size
    *headlands, shore = layers
    left = rng.random() < 0.5
    for i, colour in enumerate(headlands):
        reach = rng.uniform(0.35, 0.55) * width
        rise = rng.uniform(90, 150) / (1 + i * 0.2)
        top, foot = [], []
        for x in range(0, int(reach) + 8, 8):
            t = max(0.0, 1 - x / reach)
            t = t * t * (3 - 2 * t)
            bump = 1 + 0.12 * math.sin(x / 37 + i)
            xx = x if left else width - x
            top.append((xx, horizon - t * rise * bump))
            foot.append((xx, horizon + t * (30 + 20 * i)))
        draw.polygon([*top, *reversed(foot)], fill=colour)
        left = not left
    draw.polygon([(0, height), *_ridge(rng, width, height * 0.9, 18), (width, height)],
                 fill=shore)


@functools.cache
def landscape_jpeg(picture: Picture, size: tuple[int, int] = IMAGE_SIZE) -> bytes:
    """Draw a calm abstract landscape (sky, sun, hills or sea) and return it as a JPEG.
    The same picture always comes out the same, so each is drawn once per process."""
    palette, (width, height) = picture.palette, size
    rng = random.Random(picture.seed)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = min(1.0, y / (height * 0.62))
        draw.line([(0, y), (width, y)], fill=_mix(palette.sky_top, palette.sky_horizon, t**1.4))

    sx, sy = picture.sun_at[0] * width, picture.sun_at[1] * height
    glow = Image.new("L", size, 0)
    glow_draw = ImageDraw.Draw(glow)
    for radius, strength in ((190, 40), (130, 70), (90, 110)):
        glow_draw.ellipse([sx - radius, sy - radius, sx + radius, sy + radius], fill=strength)
    image.paste(Image.new("RGB", size, palette.sun), mask=glow.filter(ImageFilter.GaussianBlur(40)))
    draw = ImageDraw.Draw(image)
    draw.ellipse([sx - 56, sy - 56, sx + 56, sy + 56], fill=palette.sun)

    horizon = height * 0.58
    if palette.sea is not None:
        water_top = _mix(palette.sky_horizon, palette.sea, 0.55)
        for y in range(int(horizon), height):
            t = max(0.0, (y - horizon) / (height - horizon))
            draw.line([(0, y), (width, y)], fill=_mix(water_top, palette.sea, t**0.7))
        glint = _mix(palette.sea, palette.sun, 0.45)
        for _ in range(60):  # the sun's path on the water
            y = rng.uniform(horizon + 4, height)
            depth = (y - horizon) / (height - horizon)
            half = rng.uniform(20, 90) * (0.4 + depth)
            x = sx + rng.gauss(0, 60 + (y - horizon) * 0.4)
            draw.line([(x - half, y), (x + half, y)], fill=glint, width=2)
        _coast(draw, rng, palette.layers, size, horizon)
    else:
        count = len(palette.layers)
        for i, colour in enumerate(palette.layers):
            base = horizon + i * (height - horizon) / (count + 0.5) - (40 if i == 0 else 0)
            points = _ridge(rng, width, base, 28 + 24 * i)
            draw.polygon([(0, height), *points, (width, height)], fill=colour)

    image = image.filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


# --------------------------------------------------------------------------------------
# Seeding
# --------------------------------------------------------------------------------------

FIGURE_RE = re.compile(r"^\[\[figure:([a-z0-9-]+)\]\]$", re.MULTILINE)


class DemoConflict(Exception):
    """Something the demo needs is already taken by a real account."""


def _with_figures(body: str, media: dict[str, Media]) -> str:
    return FIGURE_RE.sub(lambda m: str(figure_html(media[m.group(1)])), body)


def _when(site: Site, entry: Entry, now: datetime) -> datetime | None:
    """The entry's publication time: `days_ago` days back (or ahead) at its local hour."""
    if entry.days_ago is None:
        return None
    local = timezone.localtime(now, site.tzinfo)
    day = local.date() - timedelta(days=entry.days_ago)
    return datetime(day.year, day.month, day.day, entry.hour, tzinfo=site.tzinfo)


def _person(spec: Person, tally: Tally) -> User:
    """The demo author, created once; a same-named real account is never taken over."""
    user = User.objects.filter(username=spec.username).first()
    if user is not None:
        if user.email != spec.email or user.has_usable_password():
            raise DemoConflict(f"A user called {spec.username!r} already exists and is not "
                               "a demo author.")
        return user
    user = User(username=spec.username, email=spec.email, display_name=spec.display_name,
                first_name=spec.first_name, last_name=spec.last_name, bio=spec.bio)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    tally.people += 1
    return user


def _picture(site: Site, picture: Picture, owner: User, saved: list[str]) -> Media:
    """Upload a drawn landscape through the same service as the media library, so the
    demo's images have renditions and srcset like any author's."""
    upload = ContentFile(landscape_jpeg(picture), name=f"{picture.key}.jpg")
    media = media_upload(site=site, uploaded_by=owner, file=upload, alt_text=picture.alt,
                         caption=picture.caption)
    media.title = picture.title
    media.save(update_fields=["title"])
    saved.extend(stored_names(media))
    return media


def _seed_site(spec: SiteSpec, tally: Tally, saved: list[str]) -> Site:
    """Create one site with its people, taxonomy, pictures, posts, pages and lists."""
    people = {person.username: _person(person, tally) for person in spec.people}
    owner = people[spec.people[0].username]
    site = site_create(owner=owner, slug=spec.slug, title=spec.title, tagline=spec.tagline,
                       theme=spec.theme, timezone=spec.timezone)
    for person in spec.people[1:]:
        member_add(site=site, user=people[person.username], role=Role.AUTHOR)
    tally.sites.append(site.slug)

    categories: dict[str, Category] = {}
    for cat in spec.categories:
        categories[cat.name] = category_get_or_create(
            site=site, name=cat.name, description=cat.description,
            parent=categories[cat.parent] if cat.parent else None,
        )
    tags: dict[str, Tag] = {}
    media = {pic.key: _picture(site, pic, owner, saved) for pic in spec.pictures}
    tally.media += len(media)

    now = timezone.now()
    posts: dict[str, Post] = {}
    for entry in spec.entries:
        for name in entry.tags:
            if name not in tags:
                tags[name] = tag_get_or_create(site=site, name=name)
        posts[entry.key] = post_create(
            site=site, author=people[entry.author], title=entry.title, kind=entry.kind,
            source=_with_figures(entry.body, media), status=entry.status,
            published_at=_when(site, entry, now),
            categories=[categories[name] for name in entry.categories],
            tags=[tags[name] for name in entry.tags],
            featured_image=media[entry.featured] if entry.featured else None,
            sticky=entry.sticky, menu_order=entry.menu_order,
        )
        if entry.kind == Kind.PAGE:
            tally.pages += 1
        else:
            tally.posts += 1
            tally.unpublished += entry.status != Status.PUBLISHED

    for entry in spec.entries:
        if entry.related:
            related_links_set(post=posts[entry.key], links=[
                LinkSpec(url=item.url, title=item.title) if isinstance(item, Outside)
                else LinkSpec(target=posts[item])
                for item in entry.related
            ])
    return site


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def seed_demo(*, stdout: TextIO | None = None) -> bool:
    """Create the demo sites once. Returns False, changing nothing, if the demo site
    already exists (it is looked up by its slug).

    All rows are made in one transaction, so a failure leaves none of them behind, and
    the image files written before it are deleted again."""
    demo, *others = SITES
    saved: list[str] = []
    tally = Tally()
    try:
        with transaction.atomic():
            if Site.objects.filter(slug=demo.slug).exists():
                _say(stdout, "Demo site already exists; nothing to do.")
                return False
            site = _seed_site(demo, tally, saved)
            for spec in others:
                if not Site.objects.filter(slug=spec.slug).exists():
                    _seed_site(spec, tally, saved)
            _seed_conversation(site, tally)
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise
    _say(stdout, (
        f"Seeded {len(tally.sites)} sites ({', '.join(tally.sites)}): {tally.people} "
        f"authors, {tally.posts} posts ({tally.unpublished} not yet public), {tally.pages} "
        f"pages, {tally.media} images."
    ))
    return True


# --------------------------------------------------------------------------------------
# The conversation: comments, a held comment and likes on Field Notes
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Guest:
    """A commenter without an account: a name, an e-mail (never shown) and a website."""

    name: str
    email: str
    url: str = ""


@dataclass(frozen=True)
class Said:
    """One demo comment. `who` is a username (a member) or a Guest; `reply_to` is the
    key of the comment it answers; `hours` is how long after the post it was written."""

    key: str
    post: str  # an Entry key
    who: str | Guest
    body: str
    hours: int
    reply_to: str | None = None
    status: str = "approved"


DEMO_READERS = (
    Person(username="ines", display_name="Inês Duarte", first_name="Inês", last_name="Duarte",
           bio="Walks to work, bakes at weekends. Reads more blogs than is healthy. Lisbon."),
    Person(username="kwame", display_name="Kwame Mensah", first_name="Kwame",
           last_name="Mensah",
           bio="Carpenter by trade, hill walker by temperament. Collects old planes."),
)

HARRIET = Guest("Harriet Vale", "harriet@example.net", "https://harriet.example.net/")
OWEN = Guest("Owen", "owen.p@example.org")
PRIYA = Guest("Priya S.", "priya@example.com", "https://priya.example.com/notes")

CONVERSATION = (
    Said("tm-1", "ten-miles", HARRIET, "This is exactly the push I needed. I have been "
         "stuck at *five miles* for a year, and the idea of walking the time rather than the "
         "distance makes so much sense.", hours=5),
    Said("tm-2", "ten-miles", "maya", "Thank you, Harriet! Try it once with no watch at "
         "all: pick a turning point by the map and just go. Tell me how it feels.", hours=7,
         reply_to="tm-1"),
    Said("tm-3", "ten-miles", HARRIET, "Did it on Sunday. Nine and a bit miles, and I only "
         "noticed at the pub.", hours=80, reply_to="tm-2"),
    Said("tm-4", "ten-miles", "ines", "Saving this for spring. The bit about eating before "
         "you are hungry is the best advice I never followed.", hours=26),
    Said("br-1", "bread", "kwame", "Made this twice now. The second loaf was better because "
         "I left it alone, which I suppose is the whole point.", hours=20),
    Said("br-2", "bread", "tomas", "That is the whole point! Glad it forgave you.",
         hours=22, reply_to="br-1"),
    Said("br-3", "bread", OWEN, "Does it work with half wholemeal flour? Mine came out "
         "like a brick.", hours=50),
    Said("br-4", "bread", "tomas", "It does, but give it more water (about 30 g more per "
         "500 g flour) and an extra hour.", hours=52, reply_to="br-3"),
    Said("br-5", "bread", OWEN, "More water it is. Thank you!", hours=53, reply_to="br-4"),
    Said("st-1", "stove", PRIYA, "The tip about a windshield from a folded baking tray "
         "saved my trip last month. Also: [this old guide](https://example.com/stoves) "
         "has more on simmering.", hours=6),
    Said("st-2", "stove", "ines", "Porridge at a campsite is the best porridge.", hours=9),
    Said("st-3", "stove", Guest("Deals4U", "offers@example.biz", "https://example.biz/"),
         "Great post!!! Visit our shop for cheap camping gear https://example.biz/1 "
         "https://example.biz/2 https://example.biz/3", hours=12, status="pending"),
)

# Who likes which post (Entry key → usernames).
DEMO_LIKES = {
    "ten-miles": ("ines", "kwame", "tomas", "nell"),
    "bread": ("ines", "kwame", "maya"),
    "first-light": ("kwame", "tomas"),
    "estuary": ("ines",),
    "ridge": ("kwame", "ines", "tomas"),
    "stove": ("ines", "maya", "nell"),
}


def _seed_conversation(site: Site, tally: Tally) -> None:
    """Comments from guests and members (threaded, one held for moderation) and likes,
    so a visitor sees the conversation at work on several posts.

    The rows are made directly, with the comment renderer and explicit statuses: the
    commenting service applies flood limits and moderation rules meant for strangers,
    not for a seed. (Imported here: content comes before discussion in the layering,
    and only the demo needs it.)"""
    from byline.discussion.models import Comment, Like
    from byline.rendering import render_comment

    for person in DEMO_READERS:
        _person(person, Tally())  # readers, not authors: kept out of the summary
    users = {user.username: user for user in User.objects.filter(
        username__in={"maya", "tomas", "nell", *(p.username for p in DEMO_READERS)})}
    titles = {entry.key: entry.title for entry in SITES[0].entries}
    posts = {post.title: post for post in Post.objects.for_site(site).posts()}

    made: dict[str, Comment] = {}
    for said in CONVERSATION:
        post = posts[titles[said.post]]
        if isinstance(said.who, Guest):
            user, name, email, url = None, said.who.name, said.who.email, said.who.url
        else:
            user = users[said.who]
            name, email, url = user.get_display_name(), user.email, user.website
        comment = Comment(
            site=site, post=post, parent=made.get(said.reply_to or ""), user=user,
            author_name=name, author_email=email, author_url=url, body=said.body,
            html=render_comment(said.body), status=said.status,
            created_at=min(post.published_at + timedelta(hours=said.hours), timezone.now()),
            import_ref=f"demo:{said.key}",
        )
        comment.full_clean()
        comment.save()
        made[said.key] = comment
    for key, usernames in DEMO_LIKES.items():
        for username in usernames:
            if username in users:
                Like.objects.create(site=site, post=posts[titles[key]], user=users[username])
